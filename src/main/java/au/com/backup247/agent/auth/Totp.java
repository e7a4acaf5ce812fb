package au.com.backup247.agent.auth;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), as Google Authenticator,
 * Microsoft Authenticator and Authy compute them:
 * <pre>
 * step = floor(unixSeconds / 30)                       (T0 = 0; a long: 20000000000 s is past 2^31)
 * mac  = HMAC-SHA1|256|512(secret, step as 8 bytes big-endian)
 * o    = mac[last] &amp; 0x0f
 * code = (mac[o..o+3] as int &amp; 0x7fffffff) mod 10^digits, left-padded with zeros
 * </pre>
 * {@link #verify} accepts the steps now−1, now and now+1 (clock drift of up to 30 s either way),
 * but only one later than the last step the account used, so each code works once.
 *
 * <p>The authenticator apps read the defaults (SHA-1, 6 digits, 30 s) best; Google
 * Authenticator ignores other algorithms in some versions, so offer those only to apps that
 * support them. Time comes from the injected clock only. Thread-safe.
 */
public final class Totp {
  /** Seconds per step. */
  public static final int PERIOD_SECONDS = 30;

  /** The HMAC, with the secret length RFC 6238's reference code uses for it. */
  public enum Algorithm {
    SHA1("HmacSHA1", 20), SHA256("HmacSHA256", 32), SHA512("HmacSHA512", 64);

    final String jdkName;
    final int secretBytes;

    Algorithm(String jdkName, int secretBytes) {
      this.jdkName = jdkName;
      this.secretBytes = secretBytes;
    }
  }

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private final Clock clock;
  private final Algorithm algorithm;
  private final int digits;

  /** SHA-1, 6 digits: what every authenticator app understands. */
  public Totp(Clock clock) {
    this(clock, Algorithm.SHA1, 6);
  }

  public Totp(Clock clock, Algorithm algorithm, int digits) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    if (digits != 6 && digits != 8) {
      throw new IllegalArgumentException("digits must be 6 or 8, got " + digits);
    }
    this.digits = digits;
  }

  /** The step {@code t} falls in (negative before 1970). */
  public long step(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), PERIOD_SECONDS);
  }

  /** The step the clock is in now. */
  public long currentStep() {
    return step(clock.instant());
  }

  /** The code for {@code step} (for RFC 4226 HOTP: the counter), {@code digits} long. */
  public String code(byte[] secret, long step) {
    byte[] mac = hmac(secret, ByteBuffer.allocate(8).putLong(step).array());
    int o = mac[mac.length - 1] & 0x0f;
    int binary = ((mac[o] & 0x7f) << 24) | ((mac[o + 1] & 0xff) << 16) | ((mac[o + 2] & 0xff) << 8)
        | (mac[o + 3] & 0xff);
    String s = Integer.toString(binary % POWERS[digits]);
    return "0".repeat(digits - s.length()) + s;
  }

  /**
   * The step whose code {@code typed} is (spaces ignored), among now−1, now and now+1 and later
   * than {@code lastUsedStep} (pass −1 when the account never used a code); empty when it matches
   * none of them or only a step already used. Store the result as the new last used step. All
   * three candidates are computed and compared in constant time.
   */
  public OptionalLong verify(byte[] secret, String typed, long lastUsedStep) {
    String code = typed == null ? "" : typed.replace(" ", "");
    boolean wellFormed = code.length() == digits && code.chars().allMatch(c -> c >= '0' && c <= '9');
    byte[] given = (wellFormed ? code : "0".repeat(digits)).getBytes(StandardCharsets.US_ASCII);
    long now = currentStep();
    long matched = Long.MIN_VALUE;
    for (long step = now - 1; step <= now + 1; step++) {
      boolean equal = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII), given);
      if (equal && step > lastUsedStep && matched == Long.MIN_VALUE) {
        matched = step;
      }
    }
    return wellFormed && matched != Long.MIN_VALUE ? OptionalLong.of(matched) : OptionalLong.empty();
  }

  /** A new random secret as long as the algorithm's (20 bytes for SHA-1, RFC 4226's recommendation). */
  public byte[] newSecret(SecureRandom random) {
    byte[] s = new byte[algorithm.secretBytes];
    random.nextBytes(s);
    return s;
  }

  /** The secret in base32 (RFC 4648, upper case, no padding), for manual entry and the URI. */
  public static String base32(byte[] secret) {
    return new Base32().encodeAsString(secret).replace("=", "");
  }

  /**
   * A base32 secret as a person may type it: case, spaces and padding ignored.
   *
   * @throws IllegalArgumentException when it holds a character outside A–Z, 2–7
   */
  public static byte[] fromBase32(String text) {
    String s = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
    if (s.isEmpty() || !s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
      throw new IllegalArgumentException("a TOTP secret must be base32 (letters A-Z and digits 2-7)");
    }
    try {
      String padded = s + "=".repeat((8 - s.length() % 8) % 8);
      return Base32.builder().setDecodingPolicy(CodecPolicy.STRICT).get().decode(padded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a TOTP secret must be base32; this one has a wrong length", e);
    }
  }

  /**
   * The Key URI authenticator apps read from a QR code:
   * <pre>
   * otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&amp;issuer=ISSUER&amp;algorithm=SHA1&amp;digits=6&amp;period=30
   * </pre>
   * with issuer and account percent-encoded (a space is {@code %20}); neither may hold a colon.
   */
  public String otpauthUri(String issuer, String account, byte[] secret) {
    String i = label(issuer, "issuer");
    String a = label(account, "account");
    return "otpauth://totp/" + i + ":" + a + "?secret=" + base32(secret) + "&issuer=" + i + "&algorithm="
        + algorithm.name() + "&digits=" + digits + "&period=" + PERIOD_SECONDS;
  }

  private static String label(String s, String name) {
    if (s == null || s.isBlank() || s.contains(":")) {
      throw new IllegalArgumentException(name + " must be non-empty and hold no colon, got \"" + s + "\"");
    }
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private byte[] hmac(byte[] secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance(algorithm.jdkName);
      mac.init(new SecretKeySpec(secret, algorithm.jdkName));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm.jdkName + " is not available in this JDK", e);
    }
  }
}
