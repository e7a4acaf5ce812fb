package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.crypto.Argon2id;
import au.com.backup247.agent.repo.error.RepoException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Key derivation functions of FORMAT §2. Stateless and thread-safe. */
public final class Kdf {
  private static final int HASH_LEN = 32;
  private static final byte[] ZERO_SALT = new byte[HASH_LEN];

  /** Argon2 minimum salt length (RFC 9106 §3.1 recommends 16; 8 is the hard minimum). */
  private static final int ARGON2_MIN_SALT = 8;

  /**
   * Upper bounds for Argon2: 256 MiB, 10 passes, 16 lanes. The parameters are read from {@code
   * config} before its MAC can be checked (the MAC key comes from the unwrapped master key), so
   * whoever controls the storage chooses them: bounded well below what could exhaust the agent's
   * memory (the whole of it is allocated at once, natively or, by the fallback, on the heap) or keep
   * it busy for minutes. The defaults (46 MiB, 1 pass) and RFC 9106's second recommended option
   * (64 MiB, 3 passes) fit.
   */
  public static final int ARGON2_MAX_MEMORY_KIB = 256 * 1024;

  public static final int ARGON2_MAX_ITERATIONS = 10;
  public static final int ARGON2_MAX_PARALLELISM = 16;

  private Kdf() {}

  /**
   * HKDF-SHA-256 (RFC 5869), extract then expand.
   *
   * @param ikm input keying material
   * @param salt the salt; {@code null} (or empty) means 32 zero bytes (RFC 5869 §2.2)
   * @param info context string, ASCII in this format (encoded as UTF-8, identical for ASCII)
   * @param length output length, 1..8160 bytes
   */
  public static byte[] hkdf(byte[] ikm, byte[] salt, String info, int length) {
    return hkdf(ikm, salt, info.getBytes(StandardCharsets.UTF_8), length);
  }

  /** HKDF-SHA-256 with a binary {@code info} (used by the RFC 5869 test vectors). */
  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (ikm == null) {
      throw new IllegalArgumentException("ikm is null");
    }
    if (length < 1 || length > 255 * HASH_LEN) {
      throw new IllegalArgumentException("HKDF length must be 1.." + 255 * HASH_LEN + ", got " + length);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty HMAC key is equivalent to HashLen zero bytes (keys are zero-padded), and
      // SecretKeySpec refuses empty keys.
      byte[] s = salt == null || salt.length == 0 ? ZERO_SALT : salt;
      mac.init(new SecretKeySpec(s, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      Arrays.fill(prk, (byte) 0);
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int pos = 0;
      for (int i = 1; pos < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        byte[] next = mac.doFinal();
        Arrays.fill(t, (byte) 0);
        t = next;
        int n = Math.min(HASH_LEN, length - pos);
        System.arraycopy(t, 0, out, pos, n);
        pos += n;
      }
      Arrays.fill(t, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Argon2id, version 1.3 (0x13); no secret or associated data. Computed by the system's libargon2
   * when it is installed, else by Bouncy Castle ({@link Argon2id}): the same result either way.
   *
   * @throws RepoException when a parameter is out of range (they come from {@code config}), or when
   *     no engine could compute it (naming each one's reason)
   */
  public static byte[] argon2id(
      byte[] secret, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
    if (secret == null) {
      throw new IllegalArgumentException("secret is null");
    }
    if (salt == null || salt.length < ARGON2_MIN_SALT) {
      throw new RepoException(
          "Argon2id salt must be at least " + ARGON2_MIN_SALT + " bytes, got "
              + (salt == null ? "none" : salt.length + ""));
    }
    if (parallelism < 1 || parallelism > ARGON2_MAX_PARALLELISM) {
      throw new RepoException(
          "Argon2id parallelism must be 1.." + ARGON2_MAX_PARALLELISM + ", got " + parallelism);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > ARGON2_MAX_MEMORY_KIB) {
      throw new RepoException(
          "Argon2id memory must be " + 8 * parallelism + ".." + ARGON2_MAX_MEMORY_KIB
              + " KiB, got " + memoryKiB);
    }
    if (iterations < 1 || iterations > ARGON2_MAX_ITERATIONS) {
      throw new RepoException(
          "Argon2id iterations must be 1.." + ARGON2_MAX_ITERATIONS + ", got " + iterations);
    }
    if (length < 4) {
      throw new IllegalArgumentException("Argon2id output must be at least 4 bytes, got " + length);
    }
    try {
      return Argon2id.derive(secret, salt, memoryKiB, iterations, parallelism, length);
    } catch (IllegalStateException e) {
      throw new RepoException("key derivation: " + e.getMessage(), e);
    }
  }
}
