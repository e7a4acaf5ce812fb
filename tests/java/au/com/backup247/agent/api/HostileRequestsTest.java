package au.com.backup247.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX S11 with authentication on, over raw sockets: a 100 MB body, a 64 KB header, a 16 KB
 * request line, JSON nested 10,000 deep, broken chunked encoding, a body dripped slowly and a client
 * that stalls mid-headers each get a 4xx or a closed connection, the heap stays bounded and the
 * event loop keeps answering others.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileRequestsTest {

  private static AuthHarness agent(Vertx vertx, Path home) {
    return new AuthHarness(vertx, home, new JsonObject(), new JsonObject().put("requestDeadlineMs", 1500));
  }

  /** Sends {@code head} (and {@code body}) and returns the status line, or "closed". */
  private static String raw(int port, String head, byte[] body) throws IOException {
    return raw(port, head, body, 0);
  }

  /** As {@link #raw(int, String, byte[])}, then {@code zeros} bytes of zeros, 64 KiB at a time. */
  private static String raw(int port, String head, byte[] body, long zeros) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        byte[] chunk = new byte[64 << 10];
        for (long sent = 0; sent < zeros; sent += chunk.length) {
          out.write(chunk);
        }
        out.flush();
      } catch (SocketException closedWhileSending) {
        // the server answered and closed early: read what it said
      }
      return statusLine(s.getInputStream());
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    try {
      while ((c = in.read()) >= 0 && c != '\n') {
        b.write(c);
      }
    } catch (SocketException reset) {
      // closed
    }
    String line = b.toString(StandardCharsets.ISO_8859_1).strip();
    return line.isEmpty() ? "closed" : line;
  }

  private static String auth(AuthHarness h) {
    return "Host: 127.0.0.1\r\nAuthorization: Bearer " + h.token + "\r\n";
  }

  @Test
  void a100MegabyteBody_is413_andIsNotKept(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = agent(vertx, home);
    String head = "POST /api/v1/sets HTTP/1.1\r\n" + auth(h) + "Content-Type: application/json\r\n"
        + "Content-Length: " + (100L << 20) + "\r\n\r\n";
    assertTrue(raw(h.port, head, null, 100 << 20).matches(".* 413 .*|closed"));
    long before = usedHeapAfterGc();
    try (Socket s = new Socket("127.0.0.1", h.port)) { // half of it sent, and the client waits: nothing is kept
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 << 10];
      try {
        for (int i = 0; i < 800; i++) {
          out.write(chunk);
        }
      } catch (SocketException closed) {
        // answered 413 and closed before the 50 MB were sent
      }
      long grown = usedHeapAfterGc() - before;
      assertTrue(grown < 16L << 20, "the heap holds " + (grown >> 20) + " MiB more while a 100 MiB body is sent");
    }
    assertEquals(200, h.call(HttpMethod.GET, "health", null).statusCode());
  }

  @Test
  void hugeHeadersAndRequestLines_are431And414(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = agent(vertx, home);
    assertTrue(raw(h.port, "GET /api/v1/sets HTTP/1.1\r\n" + auth(h) + "X-Big: " + "a".repeat(64 << 10) + "\r\n\r\n",
        null).contains(" 431 "));
    assertTrue(raw(h.port, "GET /api/v1/sets?x=" + "a".repeat(16 << 10) + " HTTP/1.1\r\n" + auth(h) + "\r\n", null)
        .contains(" 414 "));
  }

  @Test
  void deeplyNestedJson_andBrokenChunks_are400(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject(), new JsonObject().put("maxBodyBytes", 1 << 20));
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    byte[] body = deep.getBytes(StandardCharsets.US_ASCII);
    String head = "POST /api/v1/sets HTTP/1.1\r\n" + auth(h) + "Content-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n\r\n";
    assertTrue(raw(h.port, head, body).contains(" 400 "));
    String chunked = "POST /api/v1/sets HTTP/1.1\r\n" + auth(h) + "Content-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n";
    String status = raw(h.port, chunked, null);
    assertTrue(status.contains(" 400 ") || status.equals("closed"), status);
    assertEquals(200, h.call(HttpMethod.GET, "health", null).statusCode());
  }

  /**
   * A body dripped a byte every 100 ms is cut off by the 1.5 s request deadline. No limit on the time
   * it took (a busy machine stretches it): the drip stops after 100 bytes (at least 10 s, beyond the
   * deadline whatever the load), and without the deadline nothing would cut the connection before
   * the 120 s idle timeout, so the read after the drip would time out.
   */
  @Test
  void aBodyDrippedSlowly_isCutOff_whileOthersAreServed(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = agent(vertx, home);
    try (Socket s = new Socket("127.0.0.1", h.port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      long start = System.nanoTime();
      boolean cut = false;
      for (int i = 0; i < 100 && !cut; i++) {
        try {
          out.write('{');
          out.flush();
        } catch (SocketException e) {
          cut = true;
        }
        if (i == 3) {
          assertEquals(200, h.call(HttpMethod.GET, "health", null).statusCode(), "others are served meanwhile");
        }
        Thread.sleep(100); // a byte every 100 ms: the slow client is the scenario
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(cut || statusLine(s.getInputStream()).equals("closed"), "a body dripped for " + ms + " ms");
    }
  }

  /**
   * Closed by the 1 s idle timeout: the read waits for the close (without the idle timeout nothing
   * would close the connection, and the read would time out after 20 s), not for a time limit that a
   * busy machine could overrun.
   */
  @Test
  void aClientThatStopsMidHeaders_isClosedByTheIdleTimeout(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject(), new JsonObject().put("idleTimeoutSeconds", 1));
    try (Socket s = new Socket("127.0.0.1", h.port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: 12".getBytes(StandardCharsets.ISO_8859_1));
      assertEquals("closed", statusLine(s.getInputStream()));
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
