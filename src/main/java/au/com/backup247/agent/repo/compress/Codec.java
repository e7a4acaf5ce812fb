package au.com.backup247.agent.repo.compress;

import au.com.backup247.agent.repo.error.CorruptDataException;


/**
 * The compression of one blob (registry "codec", FORMAT §1): the first byte of every blob body.
 * Ids are never reused.
 */
public enum Codec {
  /** Stored: the payload is the plaintext. */
  NONE(0),
  /** lz4 block format (lz4-java); the raw length comes from the index or block header. */
  LZ4(1),
  /** zstd frame (zstd-jni), any level. */
  ZSTD(2);

  private final int id;

  Codec(int id) {
    this.id = id;
  }

  /** The registry id, written as the body's first byte. */
  public int id() {
    return id;
  }

  /** The codec with this id; {@link CorruptDataException} "unknown codec id N" otherwise. */
  public static Codec ofId(int id) {
    switch (id) {
      case 0:
        return NONE;
      case 1:
        return LZ4;
      case 2:
        return ZSTD;
      default:
        throw new CorruptDataException("unknown codec id " + id);
    }
  }
}
