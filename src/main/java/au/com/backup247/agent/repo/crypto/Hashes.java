package au.com.backup247.agent.repo.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as the format uses it: block names, index checksums, name-bound ids, FILE record ids. */
public final class Hashes {
  private Hashes() {
  }

  /** SHA-256 of the first {@code len} bytes of {@code b}. */
  public static byte[] sha256(byte[] b, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public static byte[] sha256(byte[] b) {
    return sha256(b, b.length);
  }

  public static byte[] sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Lowercase hex of the SHA-256 of the first {@code len} bytes. */
  public static String sha256Hex(byte[] b, int len) {
    return HexFormat.of().formatHex(sha256(b, len));
  }

  public static String sha256Hex(byte[] b) {
    return sha256Hex(b, b.length);
  }
}
