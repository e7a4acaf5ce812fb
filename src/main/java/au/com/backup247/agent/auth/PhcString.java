package au.com.backup247.agent.auth;

import au.com.backup247.agent.auth.PasswordHasher.Params;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id hash in the PHC string format, {@code $argon2id$v=19$m=M,t=T,p=P$SALT$HASH} (drawn in
 * {@link PasswordHasher}), parsed strictly: the parameters in this order, base64 without padding,
 * salt 8–64 bytes, hash 16–64 bytes, parameters within {@link Params}' caps.
 */
record PhcString(Params params, byte[] salt, byte[] hash) {
  private static final Pattern FORMAT = Pattern.compile(
      "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  static String format(Params p, byte[] salt, byte[] hash) {
    return "$argon2id$v=19$m=" + p.memoryKiB() + ",t=" + p.iterations() + ",p=" + p.parallelism() + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** @throws IllegalArgumentException naming the field that is missing, malformed or out of range */
  static PhcString parse(String phc) {
    if (phc == null || !phc.startsWith("$argon2id$")) {
      throw bad("algorithm must be argon2id");
    }
    Matcher m = FORMAT.matcher(phc);
    if (!m.matches()) {
      throw bad("must look like $argon2id$v=19$m=…,t=…,p=…$salt$hash (base64 without padding)");
    }
    if (!m.group(1).equals("19")) {
      throw bad("v must be 19 (Argon2 1.3), got " + m.group(1));
    }
    Params params;
    try {
      params = new Params(integer(m.group(2), "m"), integer(m.group(3), "t"), integer(m.group(4), "p"));
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    byte[] salt = decode(m.group(5), "salt", 8, 64);
    byte[] hash = decode(m.group(6), "hash", 16, 64);
    return new PhcString(params, salt, hash);
  }

  private static int integer(String digits, String field) {
    long v = Long.parseLong(digits);
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Argon2 parameter " + field + " is out of range, got " + digits);
    }
    return (int) v;
  }

  private static byte[] decode(String b64, String field, int min, int max) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw bad(field + " is not base64: " + e.getMessage());
    }
    if (b.length < min || b.length > max) {
      throw bad(field + " must be " + min + " to " + max + " bytes, got " + b.length);
    }
    return b;
  }

  private static IllegalArgumentException bad(String what) {
    return new IllegalArgumentException("stored password hash: " + what);
  }
}
