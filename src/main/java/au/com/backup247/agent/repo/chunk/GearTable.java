package au.com.backup247.agent.repo.chunk;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gear table of the FastCDC chunker, keyed so that chunk boundaries do not fingerprint known
 * files ({@code docs/FORMAT.md} §2): {@code gear[i] = first 8 bytes (big-endian) of
 * HMAC-SHA-256(gearKey, "gear" || byte(i))} for {@code i = 0..255}.
 */
final class GearTable {

  /** Number of entries: one per byte value. */
  static final int SIZE = 256;

  private static final byte[] LABEL = {'g', 'e', 'a', 'r'};

  private GearTable() {}

  /**
   * Derives the 256-entry gear table from {@code gearKey}.
   *
   * @param gearKey the key ({@code K_gear}), not empty
   * @return a new array of 256 values
   */
  static long[] derive(byte[] gearKey) {
    if (gearKey == null || gearKey.length == 0) {
      throw new IllegalArgumentException("gearKey must be a non-empty key");
    }
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(gearKey, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is not available in this JVM", e);
    }
    byte[] msg = new byte[LABEL.length + 1];
    System.arraycopy(LABEL, 0, msg, 0, LABEL.length);
    long[] gear = new long[SIZE];
    for (int i = 0; i < SIZE; i++) {
      msg[LABEL.length] = (byte) i;
      byte[] h = mac.doFinal(msg);
      long v = 0;
      for (int k = 0; k < 8; k++) {
        v = (v << 8) | (h[k] & 0xffL);
      }
      gear[i] = v;
    }
    return gear;
  }
}
