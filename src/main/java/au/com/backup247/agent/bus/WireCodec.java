package au.com.backup247.agent.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An event-bus codec for an immutable message record, able to cross a cluster. On the wire a message
 * is its length, then what {@code write} appended:
 *
 * <pre>
 *  +----------------+------------------------------------------+
 *  | int32 length n | n bytes written by the message's writer  |
 *  +----------------+------------------------------------------+
 * </pre>
 *
 * In one JVM (see {@link ImmutableMessageCodec}) the receiver gets the very object sent, without copying: safe
 * because a message is immutable, and a byte array it carries has either moved with it (its sender
 * keeps no reference) or is lent read-only until the receiver answers; each message type says which.
 * The helpers {@link #string}, {@link #bytes} and {@link In} read and write the fields.
 */
public final class WireCodec<T> extends ImmutableMessageCodec<T> {
  private final BiConsumer<T, Buffer> write;
  private final Function<In, T> read;

  private WireCodec(Class<T> type, BiConsumer<T, Buffer> write, Function<In, T> read) {
    super("b247-wire-" + type.getName());
    this.write = write;
    this.read = read;
  }

  /** A codec for {@code type} that appends a message with {@code write} and reads it back with {@code read}. */
  public static <T> WireCodec<T> of(Class<T> type, BiConsumer<T, Buffer> write, Function<In, T> read) {
    return new WireCodec<>(type, write, read);
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    int at = buffer.length();
    buffer.appendInt(0);
    write.accept(t, buffer);
    buffer.setInt(at, buffer.length() - at - 4);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    In in = new In(buffer, pos + 4, pos + 4 + length);
    T t = read.apply(in);
    if (in.pos != in.end) {
      throw new IllegalArgumentException(name() + ": " + (in.end - in.pos) + " bytes left after the message");
    }
    return t;
  }

  /** Appends a string that may be null. */
  public static void string(Buffer out, String s) {
    if (s == null) {
      out.appendInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(b.length).appendBytes(b);
  }

  /** Appends {@code length} bytes of {@code b} from {@code offset}, with their length. */
  public static void bytes(Buffer out, byte[] b, int offset, int length) {
    out.appendInt(length).appendBytes(b, offset, length);
  }

  /** Reads the fields of one message, in the order they were appended. */
  public static final class In {
    private final Buffer buffer;
    private final int end;
    private int pos;

    In(Buffer buffer, int pos, int end) {
      this.buffer = buffer;
      this.pos = pos;
      this.end = end;
    }

    public int int32() {
      check(4);
      int v = buffer.getInt(pos);
      pos += 4;
      return v;
    }

    public long int64() {
      check(8);
      long v = buffer.getLong(pos);
      pos += 8;
      return v;
    }

    /**
     * A count of elements appended before them as an int32, each taking at least {@code minBytes}
     * bytes: fails when it is negative or more than the rest of the message could hold.
     */
    public int count(int minBytes) {
      int n = int32();
      if (n < 0 || (long) n * minBytes > end - pos) {
        throw new IllegalArgumentException("bad count " + n + " at " + (pos - 4) + ": " + (end - pos) + " bytes left");
      }
      return n;
    }

    public boolean bool() {
      check(1);
      return buffer.getByte(pos++) != 0;
    }

    /** A string appended with {@link WireCodec#string} (null stays null). */
    public String string() {
      byte[] b = bytesOrNull();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Bytes appended with {@link WireCodec#bytes}, in a new array. */
    public byte[] bytes() {
      byte[] b = bytesOrNull();
      if (b == null) {
        throw new IllegalArgumentException("bytes expected, found null at " + (pos - 4));
      }
      return b;
    }

    private byte[] bytesOrNull() {
      int n = int32();
      if (n < 0) {
        return null;
      }
      check(n);
      byte[] b = buffer.getBytes(pos, pos + n);
      pos += n;
      return b;
    }

    private void check(int n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("message truncated: " + n + " bytes needed at " + pos + ", "
            + (end - pos) + " left");
      }
    }
  }
}
