package au.com.backup247.agent.repo.index;

import java.util.Arrays;

/** Growable byte buffer with the encodings of FORMAT.md: unsigned LEB128 varints and length-prefixed UTF-8. */
public final class BinaryWriter {
  private byte[] buf;
  private int size;

  public BinaryWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  public BinaryWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public BinaryWriter varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint must not be negative: " + v);
    }
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
    return this;
  }

  public BinaryWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public BinaryWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** A string as varint length + UTF-8, each {@link RawNames} escape written as its byte. */
  public BinaryWriter string(String s) {
    byte[] b = RawNames.encode(s);
    varint(b.length);
    return bytes(b);
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
