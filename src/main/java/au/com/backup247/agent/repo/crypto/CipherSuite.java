package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.RepoException;
import java.util.Locale;

/**
 * The data cipher of a repository: registry "cipher" in {@code docs/FORMAT.md} §1, stored as
 * {@code cipher.id} in {@code config} and in every block/object header. Ids are never reused.
 *
 * <p>ECB is deliberately absent: {@link #parse(String)} refuses it with an explanation.
 */
public enum CipherSuite {
  /** No encryption: blobs carry a 16-byte SHA-256 checksum instead of a tag. */
  NONE(0, "none", 0),
  AES_256_GCM(1, "aes-256-gcm", 32),
  AES_128_GCM(2, "aes-128-gcm", 16),
  /** AES-256-CBC + HMAC-SHA-256, encrypt-then-MAC. */
  AES_256_CBC_HMAC(3, "aes-256-cbc-hmac", 32),
  /** AES-128-CBC + HMAC-SHA-256, encrypt-then-MAC. */
  AES_128_CBC_HMAC(4, "aes-128-cbc-hmac", 16);

  private static final CipherSuite[] VALUES = values();

  private final int id;
  private final String label;
  private final int keyBytes;

  CipherSuite(int id, String label, int keyBytes) {
    this.id = id;
    this.label = label;
    this.keyBytes = keyBytes;
  }

  /** The registry id (FORMAT §1). */
  public int id() {
    return id;
  }

  /** The label used in {@code config} and on the command line, e.g. {@code aes-256-gcm}. */
  public String label() {
    return label;
  }

  /** AES key size in bytes (0 for {@link #NONE}). */
  public int keyBytes() {
    return keyBytes;
  }

  /** Whether this suite is AES-GCM. */
  boolean isGcm() {
    return this == AES_256_GCM || this == AES_128_GCM;
  }

  /** Whether this suite is AES-CBC + HMAC-SHA-256. */
  boolean isCbc() {
    return this == AES_256_CBC_HMAC || this == AES_128_CBC_HMAC;
  }

  /**
   * The most bytes {@link ObjectSealer#seal} adds to a body: GCM 16 (tag); CBC 64 (16 iv + up to 16
   * padding + 32 tag); NONE 16 (checksum).
   */
  public int maxOverhead() {
    switch (this) {
      case AES_256_CBC_HMAC:
      case AES_128_CBC_HMAC:
        return 16 + 16 + 32;
      default:
        return 16;
    }
  }

  /** The suite with this registry id; {@link RepoException} "unknown cipher id N" otherwise. */
  public static CipherSuite ofId(int id) {
    for (CipherSuite s : VALUES) {
      if (s.id == id) {
        return s;
      }
    }
    throw new RepoException("unknown cipher id " + id);
  }

  /**
   * The suite with this label (case-insensitive, surrounding blanks ignored). ECB in any spelling
   * ({@code ecb}, {@code aes-ecb}, {@code aes-256-ecb}, ...) is refused with the reason; anything
   * else unknown is refused with the list of allowed labels.
   */
  public static CipherSuite parse(String label) {
    String s = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (CipherSuite c : VALUES) {
      if (c.label.equals(s)) {
        return c;
      }
    }
    if (s.contains("ecb")) {
      throw new RepoException(
          "cipher '"
              + label.trim()
              + "' is refused: ECB mode encrypts equal 16-byte plaintext blocks to equal"
              + " ciphertext blocks, so it leaks the structure of the data; use one of "
              + allowedLabels());
    }
    throw new RepoException("unknown cipher '" + label + "'; allowed: " + allowedLabels());
  }

  private static String allowedLabels() {
    StringBuilder sb = new StringBuilder();
    for (CipherSuite c : VALUES) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(c.label);
    }
    return sb.toString();
  }
}
