package au.com.backup247.agent.repo.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP forward proxy on 127.0.0.1 for the proxy tests, written here because no proxy
 * library is on the test classpath. It needs Basic proxy authentication ({@code 407} with
 * {@code Proxy-Authenticate: Basic} otherwise, and the connection is closed), forwards
 * absolute-form requests ({@code GET http://host:port/path}) to their server in origin form, one
 * upstream connection per client connection (so keep-alive works; responses are copied back as
 * they come), and opens {@code CONNECT} tunnels. Bodies are copied by {@code Content-Length} or
 * chunked encoding. Only loopback targets are forwarded. It counts what it forwarded and what it
 * refused, so a test can show that traffic went through it.
 */
public final class LoopbackHttpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String expected;
  private final List<Socket> open = new ArrayList<>();
  public final AtomicInteger forwarded = new AtomicInteger();
  public final AtomicInteger refused = new AtomicInteger();
  public final AtomicInteger tunnels = new AtomicInteger();

  /** Starts the proxy; it accepts only {@code user}/{@code password} (user null: no login needed). */
  public LoopbackHttpProxy(String user, String password) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.expected = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    Thread t = new Thread(this::acceptLoop, "test-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:port}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        synchronized (open) {
          open.add(s);
        }
        Thread t = new Thread(() -> serve(s), "test-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String target = null;
      while (true) {
        List<String> head = readHead(in);
        if (head == null) {
          return;
        }
        String[] line = head.get(0).split(" ", 3);
        if (line.length != 3) {
          return;
        }
        String auth = header(head, "proxy-authorization");
        if (expected != null && !expected.equals(auth)) {
          refused.incrementAndGet();
          out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
              + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        if (line[0].equals("CONNECT")) {
          String[] hp = line[1].split(":");
          upstream = connect(hp[0], Integer.parseInt(hp[1]));
          tunnels.incrementAndGet();
          out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          pipe(upstream.getInputStream(), out, client);
          in.transferTo(upstream.getOutputStream());
          return;
        }
        URI uri = URI.create(line[1]);
        String hostPort = uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
        if (upstream == null) {
          target = hostPort;
          upstream = connect(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
          pipe(upstream.getInputStream(), out, client);
        } else if (!hostPort.equals(target)) {
          return; // one target per client connection
        }
        forwarded.incrementAndGet();
        StringBuilder b = new StringBuilder(line[0]).append(' ').append(uri.getRawPath())
            .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(' ').append(line[2])
            .append("\r\n");
        for (String h : head.subList(1, head.size())) {
          String lower = h.toLowerCase(Locale.ROOT);
          if (!lower.startsWith("proxy-authorization:") && !lower.startsWith("proxy-connection:")) {
            b.append(h).append("\r\n");
          }
        }
        b.append("\r\n");
        OutputStream up = upstream.getOutputStream();
        up.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        String length = header(head, "content-length");
        String te = header(head, "transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
          copyChunked(in, up);
        } else if (length != null) {
          copy(in, up, Long.parseLong(length.strip()));
        }
        up.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client or the server went away
    } finally {
      if (upstream != null) {
        try {
          upstream.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private Socket connect(String host, int port) throws IOException {
    InetAddress a = InetAddress.getByName(host);
    if (!a.isLoopbackAddress()) {
      throw new IOException("the test proxy forwards only to loopback addresses, not " + host);
    }
    Socket s = new Socket(a, port);
    synchronized (open) {
      open.add(s);
    }
    return s;
  }

  /** Copies {@code from} to {@code to} on a thread until {@code from} ends, then closes {@code client}. */
  private static void pipe(InputStream from, OutputStream to, Socket client) {
    Thread t = new Thread(() -> {
      try {
        byte[] buf = new byte[65536];
        int n;
        while ((n = from.read(buf)) >= 0) {
          to.write(buf, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // closed
      }
      try {
        client.close(); // the server closed: so does the proxy, as the client expects
      } catch (IOException e) {
        // closing anyway
      }
    }, "test-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[65536];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new IOException("client ended the body early");
      }
      out.write(buf, 0, r);
      n -= r;
    }
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String size = readLine(in);
      out.write((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
      int semi = size.indexOf(';');
      long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      if (n == 0) {
        String trailer;
        while (!(trailer = readLine(in)).isEmpty()) {
          out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      copy(in, out, n);
      out.write((readLine(in) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** The request line and header lines, or null at the end of the connection. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    while (true) {
      line = readLineOrNull(in);
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        if (lines.isEmpty()) {
          continue;
        }
        return lines;
      }
      lines.add(line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    String l = readLineOrNull(in);
    if (l == null) {
      throw new IOException("connection ended");
    }
    return l;
  }

  private static String readLineOrNull(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private static String header(List<String> head, String name) {
    for (String h : head.subList(1, head.size())) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).strip();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
