package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.SetCredentials;
import au.com.backup247.agent.sets.SetJson;
import au.com.backup247.agent.sets.SetSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the agent opens a set's repositories at its destinations. */
class SetRepositoriesTest {

  /**
   * Each destination connects and logs in while the others do: a server that greets nobody until
   * two clients wait sees both at once (opened one after the other, the second would connect only
   * after the first gave up).
   */
  @Test
  @Timeout(30)
  void open_connectsToEveryDestinationAtOnce(@TempDir Path home) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger most = new AtomicInteger();
      Thread t = new Thread(() -> refuseLogins(server, most), "ftp-server");
      t.start();
      String base = "ftp://backup@127.0.0.1:" + server.getLocalPort() + "/";
      SetSettings s = settings(home, base + "a", base + "b");
      long setId = 7;
      for (String name : List.of("A", "B")) {
        Path f = new SetCredentials(home.resolve("credentials")).file(setId, name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "password=not-accepted\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
      List<SetRepositories.Opened> opened = SetRepositories.open(new BackupSet(setId, 0, 0, s),
          s.destinations().targets(), null, home, Throttle.none());
      t.join(TimeUnit.SECONDS.toMillis(20));
      for (SetRepositories.Opened o : opened) {
        assertTrue(o.error() != null && o.error().contains("authentication failed"), String.valueOf(o.error()));
      }
      assertEquals(2, most.get(), "connections waiting for the greeting at the same time");
    }
  }

  private static SetSettings settings(Path home, String a, String b) {
    JsonObject json = new JsonObject().put("name", "both")
        .put("source", new JsonObject().put("paths", new JsonArray().add("/srv/data")))
        .put("destinations", new JsonArray()
            .add(new JsonObject().put("name", "A").put("url", a))
            .add(new JsonObject().put("name", "B").put("url", b)))
        .put("encryption", new JsonObject().put("enabled", false));
    var d = SetJson.decodeCreate(json, new SetJson.Defaults(home, "host-1"));
    assertTrue(d.errors().isEmpty(), d.errors().toString());
    return d.value().orElseThrow().settings();
  }

  /**
   * Accepts connections and greets them only once two wait (or the first waited five seconds: what a
   * store opened after the other meets, while opened at once they come within moments even on a busy
   * machine), then refuses their logins (530: a permanent error, not retried); ends after two connections.
   */
  private static void refuseLogins(ServerSocket server, AtomicInteger most) {
    List<Socket> waiting = new ArrayList<>();
    int answered = 0;
    long first = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try {
      server.setSoTimeout(50);
      while (answered < 2 && System.nanoTime() < end) {
        try {
          waiting.add(server.accept());
          first = waiting.size() == 1 ? System.nanoTime() : first;
          most.accumulateAndGet(waiting.size(), Math::max);
        } catch (SocketTimeoutException e) {
          // look at the clock
        }
        if (waiting.size() == 2 || (!waiting.isEmpty() && System.nanoTime() - first > TimeUnit.SECONDS.toNanos(5))) {
          for (Socket c : waiting) {
            refuse(c);
            answered++;
          }
          waiting.clear();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refuse(Socket c) throws IOException {
    try (c) {
      c.setSoTimeout(5000);
      OutputStream out = c.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
      out.write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in.readLine(); // USER
      out.write("331 password please\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in.readLine(); // PASS
      out.write("530 not accepted\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }
}
