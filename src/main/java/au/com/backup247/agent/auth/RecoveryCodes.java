package au.com.backup247.agent.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One-time recovery codes, shown once when 2FA is turned on, each usable once in place of a second
 * factor (guide ch. 8). A code is 24 symbols of Crockford's base32 in six groups of four:
 * <pre>
 *   7KQF-2MXD-9TRH-W4PC-H3NA-6YBE        24 × 5 = 120 random bits
 *   alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ   (no I, L, O, U)
 * </pre>
 * {@link #normalise} forgives what people do when typing one: lower case, spaces, dashes, and the
 * letters O, I and L read for the digits 0, 1 and 1.
 *
 * <p><b>Stored as SHA-256, not Argon2id</b>, as {@code sha256:<base64url of the digest>}. ASVS 4.0
 * 2.6.2 / 5.0 6.5.2 allow an unsalted standard hash for lookup secrets of at least 112 bits of
 * entropy: at 120 bits no offline search of the hashes can find a code, so a slow hash would add
 * nothing but cost. Argon2id would cost a worker-thread hash for each of the ten stored codes at
 * every attempt (CPU an attacker could spend for us) and would forbid finding the used code by its
 * hash; with SHA-256 the catalog can look up {@link #hash} of what was typed directly. The price is
 * 24 symbols to type instead of 16, once in a lifetime.
 */
final class RecoveryCodes {
  /** Codes made at each enrolment. */
  public static final int COUNT = 10;
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  static final int SYMBOLS = 24;
  static final String PREFIX = "sha256:";

  private RecoveryCodes() {
  }

  /** {@link #COUNT} new, distinct codes, formatted for display ({@code XXXX-XXXX-…}). */
  public static List<String> generate(SecureRandom random) {
    Set<String> codes = new LinkedHashSet<>();
    while (codes.size() < COUNT) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < SYMBOLS; i++) {
        b.append(i > 0 && i % 4 == 0 ? "-" : "").append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      codes.add(b.toString());
    }
    return new ArrayList<>(codes);
  }

  /** The canonical form of a typed code: upper case, no spaces or dashes, O→0, I→1, L→1. */
  public static String normalise(String typed) {
    StringBuilder b = new StringBuilder(SYMBOLS);
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == '-' || Character.isWhitespace(c)) {
        continue;
      }
      b.append(c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c);
    }
    return b.toString();
  }

  /** What to store for {@code code} (typed or as generated): {@code sha256:} and the digest of its normal form. */
  public static String hash(String code) {
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest(normalise(code)));
  }

  /**
   * Whether {@code typed} is the code stored as {@code stored}, compared in constant time.
   *
   * @throws IllegalArgumentException when {@code stored} is not a {@code sha256:} hash of 32 bytes
   */
  public static boolean matches(String typed, String stored) {
    byte[] expected;
    try {
      expected = stored.startsWith(PREFIX) ? Base64.getUrlDecoder().decode(stored.substring(PREFIX.length())) : null;
    } catch (IllegalArgumentException e) {
      expected = null;
    }
    if (expected == null || expected.length != 32) {
      throw new IllegalArgumentException("stored recovery code: must be sha256: and 43 characters of base64url");
    }
    return MessageDigest.isEqual(digest(normalise(typed)), expected);
  }

  private static byte[] digest(String normal) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
