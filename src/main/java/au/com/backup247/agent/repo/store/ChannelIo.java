package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Reads and writes of heap arrays through a channel, {@value #SLICE} bytes a call at most. The JDK
 * passes a heap buffer to the system through a temporary direct buffer as large as the request and
 * keeps it cached on the calling thread: one 33 MiB write pinned 33 MB of native memory on that
 * thread for the rest of the run. Every large channel read or write of a heap array goes through here.
 */
public final class ChannelIo {
  /** The most one call asks of a channel. */
  public static final int SLICE = 1 << 20;

  private ChannelIo() {
  }

  /** Writes all {@code length} bytes of {@code b} from {@code offset} to {@code ch}. */
  public static void write(WritableByteChannel ch, byte[] b, int offset, int length) throws IOException {
    int end = offset + length;
    ByteBuffer bb = ByteBuffer.wrap(b, offset, length);
    while (bb.hasRemaining()) {
      bb.limit(Math.min(end, bb.position() + SLICE));
      ch.write(bb);
      bb.limit(end);
    }
  }

  /**
   * Reads from {@code ch} into {@code b} from {@code offset} until {@code length} bytes are in or the
   * input ends; returns how many were read (fewer than {@code length} only at the end of the input).
   */
  public static int read(ReadableByteChannel ch, byte[] b, int offset, int length) throws IOException {
    return readSliced(ch, -1, b, offset, length);
  }

  /** As {@link #read(ReadableByteChannel, byte[], int, int)}, from {@code position} of {@code ch} (which does not move). */
  public static int read(FileChannel ch, long position, byte[] b, int offset, int length) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    return readSliced(ch, position, b, offset, length);
  }

  /** Reads from {@code position} when it is not negative, else from the channel's own position. */
  private static int readSliced(ReadableByteChannel ch, long position, byte[] b, int offset, int length)
      throws IOException {
    int end = offset + length;
    ByteBuffer bb = ByteBuffer.wrap(b, offset, length);
    while (bb.hasRemaining()) {
      bb.limit(Math.min(end, bb.position() + SLICE));
      int n = position < 0 ? ch.read(bb) : ((FileChannel) ch).read(bb, position + bb.position() - offset);
      bb.limit(end);
      if (n < 0) {
        break;
      }
    }
    return bb.position() - offset;
  }
}
