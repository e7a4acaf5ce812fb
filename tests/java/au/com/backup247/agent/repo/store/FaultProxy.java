package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 that injects network faults (TEST-MATRIX R10, R11), for any protocol:
 * every connection it accepts is forwarded to {@code 127.0.0.1:target}; the {@link Fault} set last
 * applies to every connection from then on, open ones included (a garbage reply: new ones only):
 *
 * <ul>
 *   <li>{@link Fault#none}: plain forwarding;
 *   <li>{@link Fault#resetAfter}: after {@code n} more bytes in either direction on a connection,
 *       both sides are reset (RST: {@code SO_LINGER} 0, then close);
 *   <li>{@link Fault#stall}: accepted, then nothing more is forwarded either way (the peer hangs);
 *   <li>{@link Fault#drip}: answers from the server come one byte every {@code ms} milliseconds;
 *   <li>{@link Fault#garbage}: the client gets {@code reply} as soon as it sends something, then
 *       the connection is closed (e.g. a malformed HTTP response); nothing reaches the server;
 *   <li>{@link Fault#damage}: every byte {@code from} the client sends reaches the server as
 *       {@code to} (a body damaged in transit; text protocols' headers hold no control bytes).
 * </ul>
 * Written here because no fault-injecting proxy library (toxiproxy, WireMock) is on the classpath.
 */
public final class FaultProxy implements AutoCloseable {
  /** What to do to the connections accepted from now on. */
  public record Fault(String name, long resetAfter, boolean stalled, long dripMs, byte[] garbage, int from, byte to) {
    private Fault(String name, long resetAfter, boolean stalled, long dripMs, byte[] garbage) {
      this(name, resetAfter, stalled, dripMs, garbage, -1, (byte) 0);
    }

    static Fault none() {
      return new Fault("none", -1, false, 0, null);
    }

    static Fault resetAfter(long bytes) {
      return new Fault("reset after " + bytes + " bytes", bytes, false, 0, null);
    }

    static Fault stall() {
      return new Fault("stall", -1, true, 0, null);
    }

    static Fault drip(long ms) {
      return new Fault("one byte every " + ms + " ms", -1, false, ms, null);
    }

    static Fault garbage(String reply) {
      return new Fault("reply " + reply.lines().findFirst().orElse(""), -1, false, 0,
          reply.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Fault damage(byte from, byte to) {
      return new Fault("client's bytes " + from + " sent as " + to, -1, false, 0, null, from & 0xff, to);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile Fault fault = Fault.none();
  public final AtomicInteger accepted = new AtomicInteger();
  public final AtomicLong resets = new AtomicLong();

  public FaultProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public void set(Fault f) {
    this.fault = f;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        Fault f = fault;
        track(client);
        if (f.garbage() != null) {
          start(() -> garbage(client, f.garbage()));
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        track(upstream);
        Counter moved = new Counter();
        start(() -> pump(client, upstream, moved, false));
        start(() -> pump(upstream, client, moved, true));
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection closed
      }
    }
  }

  private void track(Socket s) {
    synchronized (sockets) {
      sockets.add(s);
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Bytes one connection moved since the fault in force was set. */
  private static final class Counter {
    private Fault counting;
    private long bytes;

    synchronized long add(Fault f, int n) {
      if (f != counting) {
        counting = f;
        bytes = 0;
      }
      bytes += n;
      return bytes;
    }
  }

  private void pump(Socket from, Socket to, Counter moved, boolean fromServer) {
    byte[] buf = new byte[8192];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        Fault f = fault;
        if (f.stalled()) {
          continue; // read and drop: the other side waits forever
        }
        if (f.resetAfter() >= 0 && moved.add(f, n) > f.resetAfter()) {
          reset(from);
          reset(to);
          resets.incrementAndGet();
          return;
        }
        if (!fromServer && f.from() >= 0) {
          for (int i = 0; i < n; i++) {
            if ((buf[i] & 0xff) == f.from()) {
              buf[i] = f.to();
            }
          }
        }
        if (fromServer && f.dripMs() > 0) {
          for (int i = 0; i < n; i++) {
            out.write(buf[i]);
            out.flush();
            Thread.sleep(f.dripMs()); // the fault itself: a slow peer
          }
        } else {
          out.write(buf, 0, n);
          out.flush();
        }
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void garbage(Socket client, byte[] reply) {
    try {
      client.getInputStream().read(new byte[8192]);
      client.getOutputStream().write(reply);
      client.getOutputStream().flush();
      client.shutdownOutput();
      Thread.sleep(200); // lets the client read the reply before the close (bounded)
    } catch (IOException | InterruptedException e) {
      // the client went first
    } finally {
      closeQuietly(client);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      sockets.forEach(FaultProxy::closeQuietly);
    }
  }
}
