package au.com.backup247.agent.repo.index;

import au.com.backup247.agent.repo.error.CorruptDataException;


/** Reads what {@link BinaryWriter} wrote; any overrun or malformed value is a {@link CorruptDataException} naming {@code what}. */
public final class BinaryReader {
  private final byte[] buf;
  private final int end;
  private final String what;
  private int pos;

  public BinaryReader(byte[] buf, int off, int len, String what) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
    this.what = what;
  }

  private CorruptDataException bad(String detail) {
    return new CorruptDataException(what + " is malformed: " + detail + " at byte " + pos);
  }

  public int u8() {
    if (pos >= end) {
      throw bad("unexpected end");
    }
    return buf[pos++] & 0xFF;
  }

  public long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0) {
          throw bad("varint out of range");
        }
        return v;
      }
    }
    throw bad("varint too long");
  }

  public int varintInt(int max) {
    long v = varint();
    if (v > max) {
      throw bad("value " + v + " larger than " + max);
    }
    return (int) v;
  }

  public byte[] bytes(int n) {
    if (n < 0 || n > end - pos) {
      throw bad("unexpected end");
    }
    byte[] b = new byte[n];
    System.arraycopy(buf, pos, b, 0, n);
    pos += n;
    return b;
  }

  public String string() {
    int n = varintInt(1 << 20);
    if (n > end - pos) {
      throw bad("unexpected end");
    }
    String s = RawNames.decode(buf, pos, n); // bytes that are not valid UTF-8: RawNames escapes
    pos += n;
    return s;
  }

  /** Bytes left to read. */
  public int remaining() {
    return end - pos;
  }

  public boolean atEnd() {
    return pos == end;
  }

  public void expectEnd() {
    if (pos != end) {
      throw bad((end - pos) + " trailing bytes");
    }
  }
}
