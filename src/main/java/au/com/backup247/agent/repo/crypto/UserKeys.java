package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.RepoException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The keys a user holds and the key-encryption keys (KEK) derived from them (FORMAT §2, "Wrapping
 * MK"). Stateless and thread-safe.
 */
public final class UserKeys {
  /** Bytes of a Default key. */
  static final int DEFAULT_KEY_BYTES = 32;
  /** Characters of a Default key in base64 (with one '=' of padding). */
  static final int DEFAULT_KEY_CHARS = 44;

  private UserKeys() {}

  /** A new Default key: 32 random bytes as 44 standard base64 characters (shown once). */
  public static String newDefaultKey(SecureRandom r) {
    byte[] k = new byte[DEFAULT_KEY_BYTES];
    r.nextBytes(k);
    String s = Base64.getEncoder().encodeToString(k);
    Arrays.fill(k, (byte) 0);
    return s;
  }

  /**
   * The 32 bytes of a Default key. Surrounding blanks (from copy and paste) are ignored. The key
   * itself never appears in an error message.
   *
   * @throws RepoException "a Default key is 44 base64 characters ..." when malformed
   */
  public static byte[] decodeDefaultKey(String text) {
    String s = text == null ? "" : text.strip();
    if (s.length() != DEFAULT_KEY_CHARS) {
      throw malformed("got " + s.length() + " characters");
    }
    byte[] k;
    try {
      k = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw malformed("it contains characters that are not base64");
    }
    if (k.length != DEFAULT_KEY_BYTES) {
      Arrays.fill(k, (byte) 0);
      throw malformed("it decodes to " + k.length + " bytes instead of " + DEFAULT_KEY_BYTES);
    }
    return k;
  }

  private static RepoException malformed(String why) {
    return new RepoException(
        "a Default key is 44 base64 characters (A-Z a-z 0-9 + /, ending in '='), as shown when the"
            + " repository was created; "
            + why);
  }

  /** KEK of a Default key: HKDF(userKey, -, "b247/v1/kek", 32). */
  public static byte[] kekForDefault(byte[] userKey32) {
    Objects.requireNonNull(userKey32, "userKey32");
    if (userKey32.length != DEFAULT_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a Default key is " + DEFAULT_KEY_BYTES + " bytes, got " + userKey32.length);
    }
    return Kdf.hkdf(userKey32, null, "b247/v1/kek", 32);
  }

  /**
   * KEK of a password or Custom key string: Argon2id(UTF-8(secret), salt, m, t, p), 32 bytes. The
   * string is used as given (no trimming, no Unicode normalization).
   */
  public static byte[] kekForSecret(
      String passwordOrCustomKey, byte[] salt, int memoryKiB, int iterations, int parallelism) {
    Objects.requireNonNull(passwordOrCustomKey, "passwordOrCustomKey");
    byte[] secret = passwordOrCustomKey.getBytes(StandardCharsets.UTF_8);
    try {
      return Kdf.argon2id(secret, salt, memoryKiB, iterations, parallelism, 32);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
