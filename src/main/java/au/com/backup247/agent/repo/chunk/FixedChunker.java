package au.com.backup247.agent.repo.chunk;

import java.util.Objects;

/** Registry id 2: cuts every {@code size} bytes; only the last chunk of a file may be shorter. */
final class FixedChunker implements Chunker {

  private final int size;

  FixedChunker(int size) {
    this.size = size;
  }

  @Override
  public int nextCut(byte[] buf, int off, int len) {
    if (len <= 0) {
      throw new IllegalArgumentException("len must be positive, got " + len);
    }
    Objects.checkFromIndexSize(off, len, buf.length);
    return Math.min(len, size);
  }

  @Override
  public int minSize() {
    return size;
  }

  @Override
  public int avgSize() {
    return size;
  }

  @Override
  public int maxSize() {
    return size;
  }

  @Override
  public int id() {
    return ID_FIXED;
  }

  @Override
  public String toString() {
    return "Fixed(size=" + size + ")";
  }
}
