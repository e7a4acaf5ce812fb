package au.com.backup247.agent.repo.index;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte blob id (FORMAT.md §2), usable as a hash key. */
public final class ChunkId {
  public static final int SIZE = 32;
  private final byte[] bytes;
  private final int hash;

  public ChunkId(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("id must be 32 bytes, got " + bytes.length);
    }
    this.bytes = bytes;
    this.hash = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
  }

  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkId c && c.hash == hash && Arrays.equals(c.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** First 8 bytes in hex: enough to name a blob in messages. */
  public String shortHex() {
    return HexFormat.of().formatHex(bytes, 0, 8);
  }

  @Override
  public String toString() {
    return shortHex();
  }
}
