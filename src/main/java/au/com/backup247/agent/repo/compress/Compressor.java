package au.com.backup247.agent.repo.compress;

import au.com.backup247.agent.repo.error.CorruptDataException;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.ref.Cleaner;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Builds and decodes blob bodies ({@code codec (1 byte) || payload}, FORMAT §3) for one {@link
 * CompressionSetting}, per the compression table of FORMAT §1:
 *
 * <ul>
 *   <li>{@code none}: codec 0;
 *   <li>{@code normal}: zstd level 3 (codec 2), codec 0 when the output is not smaller, and codec 0
 *       without trying zstd when three 4 KiB samples (start, middle, end) of an input above 64 KiB
 *       all fail to shrink below 7/8 with lz4 (already-compressed data: archives, images, jars);
 *   <li>{@code fast}: lz4 fast compressor (codec 1), codec 0 when not smaller;
 *   <li>{@code fast-local}: lz4 only when a 4 KiB sample (the first 4 KiB, or all of a smaller
 *       input) compresses with lz4 below 7/8 of its size; otherwise codec 0 without trying the rest.
 * </ul>
 *
 * <p><b>Threads.</b> Instances are immutable and thread-safe. Each thread keeps a scratch output
 * buffer (kept up to 16 MiB) and one zstd compression and decompression context, so a call
 * allocates essentially only its result. The native zstd contexts of a thread are freed by a
 * {@link Cleaner} once the thread has ended.
 */
public final class Compressor {
  /** zstd level of the {@code normal} setting. */
  static final int ZSTD_LEVEL = 3;
  /** Size of the {@code fast-local} sample. */
  static final int SAMPLE = 4096;
  /** Scratch buffers up to this size are kept per thread; larger ones are temporary. */
  private static final int MAX_KEPT_SCRATCH = 16 << 20;

  private static final Compressor[] BY_SETTING;

  static {
    CompressionSetting[] all = CompressionSetting.values();
    BY_SETTING = new Compressor[all.length];
    for (CompressionSetting s : all) {
      BY_SETTING[s.ordinal()] = new Compressor(s);
    }
  }

  private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

  private final CompressionSetting setting;

  private Compressor(CompressionSetting setting) {
    this.setting = setting;
  }

  /** The (shared) compressor of a setting. */
  public static Compressor of(CompressionSetting setting) {
    return BY_SETTING[Objects.requireNonNull(setting, "setting").ordinal()];
  }

  /** The setting this compressor applies. */
  CompressionSetting setting() {
    return setting;
  }

  /**
   * The body of a blob: {@code codec byte || payload}. Falls back to codec 0 (the plaintext) when
   * compression does not make the payload smaller, so a body is at most {@code len + 1} bytes.
   */
  public byte[] body(byte[] p, int off, int len) {
    Objects.checkFromIndexSize(off, len, p.length);
    if (len == 0) {
      return stored(p, off, 0);
    }
    switch (setting) {
      case NORMAL:
        return incompressible(p, off, len) ? stored(p, off, len) : zstd(p, off, len);
      case FAST:
        return lz4(p, off, len);
      case FAST_LOCAL:
        return fastLocal(p, off, len);
      default:
        return stored(p, off, len);
    }
  }

  private static byte[] stored(byte[] p, int off, int len) {
    byte[] out = new byte[len + 1];
    out[0] = (byte) Codec.NONE.id();
    System.arraycopy(p, off, out, 1, len);
    return out;
  }

  /** {@code codec || scratch[0, n)} when {@code n < len}, else the stored body. */
  private static byte[] bodyOf(Codec codec, byte[] scratch, int n, byte[] p, int off, int len) {
    if (n >= len) {
      return stored(p, off, len);
    }
    byte[] out = new byte[n + 1];
    out[0] = (byte) codec.id();
    System.arraycopy(scratch, 0, out, 1, n);
    return out;
  }

  private static byte[] lz4(byte[] p, int off, int len) {
    LZ4Compressor c = Lz4.COMPRESSOR;
    int max = c.maxCompressedLength(len);
    byte[] buf = PER_THREAD.get().scratch(max);
    int n = c.compress(p, off, len, buf, 0, max);
    return bodyOf(Codec.LZ4, buf, n, p, off, len);
  }

  private static byte[] fastLocal(byte[] p, int off, int len) {
    LZ4Compressor c = Lz4.COMPRESSOR;
    int sampleLen = Math.min(SAMPLE, len);
    int max = c.maxCompressedLength(sampleLen);
    byte[] buf = PER_THREAD.get().scratch(max);
    int n = c.compress(p, off, sampleLen, buf, 0, max);
    if ((long) n * 8 >= (long) sampleLen * 7) {
      return stored(p, off, len); // not worth it: do not try the rest
    }
    if (sampleLen == len) {
      return bodyOf(Codec.LZ4, buf, n, p, off, len); // the sample was the whole input
    }
    return lz4(p, off, len);
  }

  /** True when start, middle and end samples of a large input all resist lz4 (see the class comment). */
  private static boolean incompressible(byte[] p, int off, int len) {
    if (len <= 16 * SAMPLE) {
      return false;
    }
    LZ4Compressor c = Lz4.COMPRESSOR;
    int max = c.maxCompressedLength(SAMPLE);
    byte[] buf = PER_THREAD.get().scratch(max);
    for (int at : new int[] {off, off + len / 2 - SAMPLE / 2, off + len - SAMPLE}) {
      int n = c.compress(p, at, SAMPLE, buf, 0, max);
      if ((long) n * 8 < (long) SAMPLE * 7) {
        return false;
      }
    }
    return true;
  }

  private static byte[] zstd(byte[] p, int off, int len) {
    long bound = Zstd.compressBound(len);
    if (bound > Integer.MAX_VALUE - 16) {
      return stored(p, off, len);
    }
    PerThread t = PER_THREAD.get();
    byte[] buf = t.scratch((int) bound);
    int n = t.zstd().compress.compressByteArray(buf, 0, (int) bound, p, off, len);
    return bodyOf(Codec.ZSTD, buf, n, p, off, len);
  }

  /**
   * Decodes a body (codec byte first) to exactly {@code rawLength} bytes.
   *
   * @throws CorruptDataException naming the codec when the codec is unknown, the payload is
   *     malformed, or it does not decode to exactly {@code rawLength} bytes
   */
  public static byte[] decode(byte[] body, int off, int len, int rawLength) {
    checkRawLength(body, off, len, rawLength);
    byte[] out = new byte[rawLength];
    decodeInto(body, off, len, rawLength, out);
    return out;
  }

  /**
   * Refuses a body that cannot decode to {@code rawLength} bytes as far as its header tells (no
   * codec byte, an lz4 payload too short for it, a zstd frame recording another size), before a
   * caller allocates {@code rawLength} bytes for it.
   *
   * @throws CorruptDataException as {@link #decode}
   */
  public static void checkRawLength(byte[] body, int off, int len, int rawLength) {
    checkBody(body, off, len, rawLength);
    Codec codec = Codec.ofId(body[off] & 0xff);
    if (codec == Codec.LZ4) {
      checkLz4Length(len - 1, rawLength);
    } else if (codec == Codec.ZSTD) {
      checkZstdLength(body, off + 1, len - 1, rawLength);
    } else if (len - 1 != rawLength) {
      throw wrongLength(codec, len - 1, rawLength);
    }
  }

  /**
   * Decodes a body like {@link #decode} into {@code out[0, rawLength)} ({@code out} may be longer: a
   * reader's buffer kept from blob to blob), so nothing is allocated for the plaintext.
   *
   * @throws CorruptDataException as {@link #decode}
   */
  public static void decodeInto(byte[] body, int off, int len, int rawLength, byte[] out) {
    checkBody(body, off, len, rawLength);
    Objects.checkFromIndexSize(0, rawLength, out.length);
    Codec codec = Codec.ofId(body[off] & 0xff);
    int pOff = off + 1;
    int pLen = len - 1;
    switch (codec) {
      case NONE -> {
        if (pLen != rawLength) {
          throw wrongLength(codec, pLen, rawLength);
        }
        System.arraycopy(body, pOff, out, 0, pLen);
      }
      case LZ4 -> decodeLz4(body, pOff, pLen, rawLength, out);
      default -> decodeZstd(body, pOff, pLen, rawLength, out);
    }
  }

  private static void checkBody(byte[] body, int off, int len, int rawLength) {
    Objects.checkFromIndexSize(off, len, body.length);
    if (len < 1) {
      throw new CorruptDataException("empty blob body: no codec byte");
    }
    if (rawLength < 0) {
      throw new CorruptDataException("negative raw length " + rawLength);
    }
  }

  /** An lz4 block expands at most ~255 times (a token byte plus runs of 255-length bytes). */
  private static void checkLz4Length(int len, int rawLength) {
    if (rawLength > (long) len * 256 + 64) {
      throw new CorruptDataException(
          "lz4 payload of " + len + " bytes cannot decode to the raw length " + rawLength);
    }
  }

  /** A zstd frame that records its content size must record the raw length. */
  private static void checkZstdLength(byte[] src, int off, int len, int rawLength) {
    long contentSize;
    try {
      contentSize = Zstd.getFrameContentSize(src, off, len);
    } catch (RuntimeException e) {
      throw new CorruptDataException("zstd payload is malformed (" + e.getMessage() + ")", e);
    }
    // -1: size not recorded (another writer); decoding then decides. < -1: an error code.
    if (contentSize < -1) {
      throw new CorruptDataException("zstd payload is malformed (bad frame header)");
    }
    if (contentSize >= 0 && contentSize != rawLength) {
      throw new CorruptDataException(
          "zstd payload decodes to " + contentSize + " bytes but the raw length is " + rawLength);
    }
  }

  private static void decodeLz4(byte[] src, int off, int len, int rawLength, byte[] out) {
    checkLz4Length(len, rawLength);
    int n;
    try {
      n = Lz4.DECOMPRESSOR.decompress(src, off, len, out, 0, rawLength);
    } catch (RuntimeException e) { // LZ4Exception, or anything else a malformed block provokes
      throw new CorruptDataException(
          "lz4 payload is malformed or longer than the raw length " + rawLength
              + " (" + e.getMessage() + ")",
          e);
    }
    if (n != rawLength) {
      throw wrongLength(Codec.LZ4, n, rawLength);
    }
  }

  private static void decodeZstd(byte[] src, int off, int len, int rawLength, byte[] out) {
    checkZstdLength(src, off, len, rawLength);
    int n;
    try {
      n = PER_THREAD.get().zstd().decompress.decompressByteArray(out, 0, rawLength, src, off, len);
    } catch (RuntimeException e) { // ZstdException
      throw new CorruptDataException(
          "zstd payload is malformed or longer than the raw length " + rawLength
              + " (" + e.getMessage() + ")",
          e);
    }
    if (n != rawLength) {
      throw wrongLength(Codec.ZSTD, n, rawLength);
    }
  }

  private static CorruptDataException wrongLength(Codec codec, long actual, int rawLength) {
    return new CorruptDataException(
        codec.name().toLowerCase(java.util.Locale.ROOT) + " payload decodes to " + actual
            + " bytes but the raw length is " + rawLength);
  }

  /** lz4-java objects, loaded on first use (they may load a native library). Thread-safe. */
  private static final class Lz4 {
    static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    /** The bounds-checked decompressor: corrupted input cannot read or write out of bounds. */
    static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
  }

  /** A thread's zstd contexts (native memory), freed by the cleaner when the thread is gone. */
  private static final class ZstdContexts {
    private static final Cleaner CLEANER = Cleaner.create();

    final ZstdCompressCtx compress;
    final ZstdDecompressCtx decompress;

    ZstdContexts() {
      ZstdCompressCtx c = new ZstdCompressCtx();
      c.setLevel(ZSTD_LEVEL);
      ZstdDecompressCtx d = new ZstdDecompressCtx();
      this.compress = c;
      this.decompress = d;
      CLEANER.register(
          this,
          () -> {
            c.close();
            d.close();
          });
    }
  }

  private static final class PerThread {
    private byte[] scratch = new byte[0];
    private ZstdContexts zstd;

    byte[] scratch(int size) {
      if (scratch.length >= size) {
        return scratch;
      }
      if (size > MAX_KEPT_SCRATCH) {
        return new byte[size];
      }
      // grow geometrically, so a thread settles on one buffer quickly
      int n = (int) Math.min(MAX_KEPT_SCRATCH, Math.max((long) size, (long) scratch.length * 2));
      scratch = new byte[n];
      return scratch;
    }

    ZstdContexts zstd() {
      if (zstd == null) {
        zstd = new ZstdContexts();
      }
      return zstd;
    }
  }
}
