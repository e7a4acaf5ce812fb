package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one upload read from a stream: exactly {@code length} bytes, in order, each once.
 * Every store reads the stream of {@link Store#put(String, InputStream, long)} through this class,
 * so a source that fails or ends early is told apart from the destination's own failures and
 * reported the same way everywhere: a {@link Failure}, which the store turns into a
 * {@link StoreException.Kind#TRANSIENT} error ({@link Failure#error}), having made nothing visible
 * under the object's path.
 *
 * <p>Not thread-safe: one upload reads its source on one thread at a time.
 */
public final class UploadSource {
  private final InputStream in;
  private final long length;
  private long done;

  /** {@code length} bytes of {@code in} (which is not closed); a negative length is refused. */
  public UploadSource(InputStream in, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    this.in = in;
    this.length = length;
  }

  /** Where the bytes go, a piece at a time. */
  @FunctionalInterface
  public interface Sink {
    void write(byte[] buf, int off, int n) throws IOException;
  }

  public long length() {
    return length;
  }

  /** Bytes read so far. */
  public long done() {
    return done;
  }

  public long remaining() {
    return length - done;
  }

  /** Reads exactly the next {@code n} bytes into {@code buf[off..off+n)}. */
  public void read(byte[] buf, int off, int n) throws Failure {
    if (n > remaining()) {
      throw new IllegalArgumentException(n + " bytes asked, " + remaining() + " left");
    }
    int got = 0;
    try {
      while (got < n) {
        int r = in.read(buf, off + got, n - got);
        if (r < 0) {
          throw new IOException("source ended early");
        }
        got += r;
      }
    } catch (IOException e) {
      throw new Failure(done + got, length, e);
    } finally {
      done += got;
    }
  }

  /** The rest of the source in a new array (it must fit in one). */
  public byte[] readAll() throws Failure {
    if (remaining() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too large for an array: " + remaining());
    }
    byte[] out = new byte[(int) remaining()];
    read(out, 0, out.length);
    return out;
  }

  /**
   * Sends the rest of the source to {@code sink} as it arrives, in pieces of at most
   * {@code bufferSize} bytes (each what one read of the stream gave).
   */
  public void copyTo(Sink sink, int bufferSize) throws IOException {
    byte[] buf = new byte[(int) Math.max(1, Math.min(bufferSize, remaining()))];
    while (done < length) {
      int n;
      try {
        n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
        if (n < 0) {
          throw new IOException("source ended early");
        }
      } catch (IOException e) {
        throw new Failure(done, length, e);
      }
      sink.write(buf, 0, n);
      done += n;
    }
  }

  /**
   * Exactly {@code length} bytes of {@code data} in a new array, for stores that upload whole
   * arrays; a failing or short source is the transient error of {@link Failure#error}.
   */
  public static byte[] readExactly(Store store, String path, InputStream data, int length) {
    try {
      return new UploadSource(data, length).readAll();
    } catch (Failure f) {
      throw f.error(path, store.name());
    }
  }

  /**
   * The upload's source failed or ended early: not the destination's fault. An {@link IOException},
   * so that a store copying on a connection can throw it through its own I/O code (a
   * {@link ConnectionPool} turns it into {@link #error}).
   */
  public static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(long done, long length, IOException cause) {
      super("upload failed after " + done + " of " + length + " bytes: " + cause.getMessage(), cause);
    }

    /** The contract's error: transient, naming the path and the store. */
    public StoreException error(String path, String store) {
      return StoreException.transientError("cannot put " + path + " on " + store + ": " + getMessage(), getCause());
    }
  }
}
