package au.com.backup247.agent.repo.chunk;

import java.util.Objects;

/**
 * Registry id 1: FastCDC (Xia et al., USENIX ATC 2016) with a keyed gear hash and normalized
 * chunking level 2. This is part of the repository format: changing any detail below changes where
 * chunks are cut, which does not break reading old data but does break deduplication against it.
 *
 * <p>For a chunk starting at byte 0 of the window, with {@code b[j]} its j-th byte:
 *
 * <ul>
 *   <li>Bytes {@code 0 .. min-1} are skipped: no cut is possible there and they are not hashed.
 *   <li>From {@code j = min} on, {@code fp = (fp << 1) + gear[b[j] & 0xff]} (64-bit, wrapping),
 *       starting from {@code fp = 0}. {@code gear} is {@link GearTable#derive} of the key.
 *   <li>For {@code min <= j < avg} the chunk ends after byte {@code j} (its length is {@code j + 1})
 *       if {@code (fp & maskS) == 0}; for {@code avg <= j < max} if {@code (fp & maskL) == 0}.
 *   <li>If no test succeeds the chunk is {@code max} bytes long (or the rest of the data, when that is
 *       shorter: the data ended).
 * </ul>
 *
 * <p><b>Masks.</b> With {@code n = log2(avg)}, {@code maskS} has {@code n + 2} one-bits (harder: cuts
 * before {@code avg} are rarer) and {@code maskL} has {@code n - 2} one-bits (easier: cuts after
 * {@code avg} come sooner), which concentrates chunk sizes around {@code avg} (normalization level 2).
 * The one-bits are the <em>top</em> bits of the word: {@code mask = -1L << (64 - bits)}, i.e. bits
 * {@code 63-bits+1 .. 63}. Because each step shifts left by one, bit {@code k} of {@code fp} depends on
 * the last {@code k + 1} bytes (the additions carry only upwards), so the tested bits depend on the
 * last 64 bytes, the full window of the gear hash, while low bits would depend only on the last few
 * bytes. This serves the same purpose as the FastCDC paper's spread-out masks, with a simpler rule.
 * Since each top bit of {@code fp} is uniformly distributed for random data, a test succeeds with
 * probability {@code 2^-bits}.
 *
 * <p>The hot loop touches only local variables and the byte and gear arrays; it allocates nothing.
 * Measured variants that unroll by two bytes (including FastCDC2020's pre-shifted second table) were
 * slower on HotSpot C2 than the plain loop, which C2 unrolls itself.
 */
final class FastCdcChunker implements Chunker {

  private final long[] gear;
  private final int min;
  private final int avg;
  private final int max;
  private final long maskS;
  private final long maskL;

  FastCdcChunker(long[] gear, int min, int avg, int max) {
    if (gear.length != GearTable.SIZE) {
      throw new IllegalArgumentException("gear must have 256 entries, got " + gear.length);
    }
    this.gear = gear.clone();
    this.min = min;
    this.avg = avg;
    this.max = max;
    int bits = Integer.numberOfTrailingZeros(avg);
    this.maskS = topBits(bits + 2);
    this.maskL = topBits(bits - 2);
  }

  /** A mask of the {@code bits} most significant bits of a long. */
  static long topBits(int bits) {
    return -1L << (64 - bits);
  }

  @Override
  public int nextCut(byte[] buf, int off, int len) {
    if (len <= 0) {
      throw new IllegalArgumentException("len must be positive, got " + len);
    }
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len <= min) {
      return len;
    }
    final long[] g = gear;
    final long ms = maskS;
    final long ml = maskL;
    final int normalEnd = off + Math.min(len, avg);
    final int end = off + Math.min(len, max);
    long fp = 0;
    int i = off + min;
    for (; i < normalEnd; i++) {
      fp = (fp << 1) + g[buf[i] & 0xff];
      if ((fp & ms) == 0) {
        return i + 1 - off;
      }
    }
    for (; i < end; i++) {
      fp = (fp << 1) + g[buf[i] & 0xff];
      if ((fp & ml) == 0) {
        return i + 1 - off;
      }
    }
    return end - off;
  }

  @Override
  public int minSize() {
    return min;
  }

  @Override
  public int avgSize() {
    return avg;
  }

  @Override
  public int maxSize() {
    return max;
  }

  @Override
  public int id() {
    return ID_FASTCDC;
  }

  @Override
  public String toString() {
    return "FastCDC(min=" + min + ", avg=" + avg + ", max=" + max + ")";
  }
}
