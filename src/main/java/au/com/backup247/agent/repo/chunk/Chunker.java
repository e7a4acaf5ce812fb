package au.com.backup247.agent.repo.chunk;

/**
 * Splits a stream of bytes into chunks, each of which is stored (and deduplicated) as one DATA blob.
 * The chunker only decides where a chunk ends; it never copies or keeps the data.
 *
 * <p>A caller reading a file keeps a window of at least {@link #maxSize()} bytes starting at the
 * current chunk's first byte (refilling it as chunks are consumed) and calls {@link #nextCut} on it:
 *
 * <pre>{@code
 * int cut = chunker.nextCut(window, start, available); // available >= maxSize() unless at end of file
 * emit(window, start, cut);
 * start += cut; available -= cut;
 * }</pre>
 *
 * <p>Cuts depend only on the bytes of the chunk (and the chunker's parameters and key), never on how
 * the caller's buffer is laid out, so the same file content always gives the same chunks.
 * Implementations are immutable and thread-safe.
 *
 * <p>Registry ids are those of {@code docs/FORMAT.md} §1 (registry "chunker").
 */
public interface Chunker {

  /** Registry id of {@link #fastCdc}: FastCDC, gear hash, normalized chunking level 2 ("Auto"). */
  int ID_FASTCDC = 1;

  /** Registry id of {@link #fixed}: fixed-size chunks. */
  int ID_FIXED = 2;

  /** Default minimum chunk size of the "Auto" chunker: 256 KiB. */
  int AUTO_MIN = 256 * 1024;

  /** Default average (normal) chunk size of the "Auto" chunker: 1 MiB. */
  int AUTO_AVG = 1024 * 1024;

  /** Default maximum chunk size of the "Auto" chunker: 4 MiB. */
  int AUTO_MAX = 4 * 1024 * 1024;

  /** Smallest {@code avg} accepted by {@link #fastCdc}: 64 KiB. */
  int FASTCDC_AVG_LOWEST = 64 * 1024;

  /** Largest {@code avg} accepted by {@link #fastCdc}: 64 MiB. */
  int FASTCDC_AVG_HIGHEST = 64 * 1024 * 1024;

  /** Smallest {@code min} accepted by {@link #fastCdc}: 64 bytes (the gear hash's window). */
  int FASTCDC_MIN_LOWEST = 64;

  /** Largest {@code max} accepted by {@link #fastCdc}: 256 MiB. */
  int FASTCDC_MAX_HIGHEST = 256 * 1024 * 1024;

  /** Smallest {@code size} accepted by {@link #fixed}: 4 KiB. */
  int FIXED_SIZE_LOWEST = 4 * 1024;

  /** Largest {@code size} accepted by {@link #fixed}: 256 MiB. */
  int FIXED_SIZE_HIGHEST = 256 * 1024 * 1024;

  /**
   * Returns the length of the chunk that starts at {@code buf[off]}.
   *
   * @param buf the caller's buffer
   * @param off where the chunk starts
   * @param len how many bytes are available from {@code off}; must be at least {@link #maxSize()}
   *     unless the data ends before that (end of file), in which case a result equal to {@code len}
   *     means "the rest is the last chunk"
   * @return the chunk's length, {@code 1 <= result <= min(len, maxSize())}
   * @throws IllegalArgumentException if {@code len <= 0}
   * @throws IndexOutOfBoundsException if {@code [off, off + len)} is not inside {@code buf}
   */
  int nextCut(byte[] buf, int off, int len);

  /** No chunk is shorter than this, except the last chunk of a file. */
  int minSize();

  /** The chunk size the chunker aims for. */
  int avgSize();

  /** No chunk is longer than this. */
  int maxSize();

  /** The chunker's registry id ({@code docs/FORMAT.md} §1): {@value #ID_FASTCDC} or {@value #ID_FIXED}. */
  int id();

  /**
   * A FastCDC chunker (normalized chunking, level 2) whose gear table is derived from {@code gearKey}
   * as {@code docs/FORMAT.md} §2 specifies ({@code K_gear}).
   *
   * @param gearKey the key of the gear table, not empty; it is not retained
   * @param min minimum chunk size, at least 64 bytes and below {@code avg}
   * @param avg average chunk size, a power of two between 64 KiB and 64 MiB
   * @param max maximum chunk size, above {@code avg} and at most 256 MiB
   * @throws IllegalArgumentException naming the offending argument
   */
  static Chunker fastCdc(byte[] gearKey, int min, int avg, int max) {
    if (gearKey == null || gearKey.length == 0) {
      throw new IllegalArgumentException("gearKey must be a non-empty key, got "
          + (gearKey == null ? "null" : "0 bytes"));
    }
    if (avg < FASTCDC_AVG_LOWEST || avg > FASTCDC_AVG_HIGHEST || Integer.bitCount(avg) != 1) {
      throw new IllegalArgumentException(
          "avg must be a power of two between 64 KiB and 64 MiB, got " + avg);
    }
    if (min < FASTCDC_MIN_LOWEST || min >= avg) {
      throw new IllegalArgumentException(
          "min must be at least 64 and less than avg (" + avg + "), got " + min);
    }
    if (max <= avg || max > FASTCDC_MAX_HIGHEST) {
      throw new IllegalArgumentException(
          "max must be greater than avg (" + avg + ") and at most 256 MiB, got " + max);
    }
    return new FastCdcChunker(GearTable.derive(gearKey), min, avg, max);
  }

  /**
   * A chunker that cuts every {@code size} bytes (the last chunk may be shorter).
   *
   * @param size the chunk size, between 4 KiB and 256 MiB
   * @throws IllegalArgumentException naming the argument
   */
  static Chunker fixed(int size) {
    if (size < FIXED_SIZE_LOWEST || size > FIXED_SIZE_HIGHEST) {
      throw new IllegalArgumentException("size must be between 4 KiB and 256 MiB, got " + size);
    }
    return new FixedChunker(size);
  }
}
