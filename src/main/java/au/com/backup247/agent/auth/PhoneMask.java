package au.com.backup247.agent.auth;

import java.util.Set;

/**
 * Masks a phone number for display (see {@link SmsPasscodes#maskPhone}). The country calling code
 * is split off by the ITU-T E.164 assignment: 1 and 7 are one digit, the two-digit codes are
 * listed here, every other code has three digits.
 * <pre>
 * +61412345689  →  +61 4•• ••• •89        +12025550123  →  +1 2•• ••• ••23
 * </pre>
 */
final class PhoneMask {
  private static final Set<String> TWO_DIGIT = Set.of("20", "27", "30", "31", "32", "33", "34", "36", "39", "40",
      "41", "43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61",
      "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98");
  private static final char DOT = '•';

  private PhoneMask() {
  }

  static String mask(String phone) {
    if (phone == null) {
      return "(none)";
    }
    if (!SmsPasscodes.isPhoneNumber(phone)) {
      int keep = Math.min(2, phone.length() / 3);
      return String.valueOf(DOT).repeat(phone.length() - keep) + phone.substring(phone.length() - keep);
    }
    String digits = phone.substring(1);
    int cc = digits.startsWith("1") || digits.startsWith("7") ? 1 : TWO_DIGIT.contains(digits.substring(0, 2)) ? 2 : 3;
    String national = digits.substring(cc);
    StringBuilder out = new StringBuilder("+").append(digits, 0, cc);
    for (int i = 0; i < national.length(); i++) {
      boolean groupStart = i % 3 == 0 && national.length() - i > 1;
      out.append(groupStart ? " " : "");
      out.append(i == 0 || i >= national.length() - 2 ? national.charAt(i) : DOT);
    }
    return out.toString();
  }
}
