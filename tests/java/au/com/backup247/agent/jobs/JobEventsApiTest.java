package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /events}: each caller's stream carries the started / progress / ended events of the jobs
 * of their own sets only (an admin's: every job), real backups on real local folders.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobEventsApiTest {

  /** One open event stream, read on its own thread: each event as {"event": name, "data": {...}}. */
  private static final class Events implements AutoCloseable {
    final BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    final List<String> comments = new ArrayList<>();
    private final Thread reader;
    private final java.net.http.HttpResponse<Stream<String>> response;

    Events(int port, String bearer) throws Exception {
      response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/api/v1/events")).header("Authorization", "Bearer " + bearer)
          .GET().build(), BodyHandlers.ofLines());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      reader = new Thread(() -> {
        String[] name = {null};
        try {
          response.body().forEach(line -> {
            if (line.startsWith(":")) {
              synchronized (comments) {
                comments.add(line);
              }
            } else if (line.startsWith("event: ")) {
              name[0] = line.substring(7);
            } else if (line.startsWith("data: ")) {
              queue.add(new JsonObject().put("event", name[0]).put("data", new JsonObject(line.substring(6))));
            }
          });
        } catch (RuntimeException e) {
          // closed by the test
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** The events up to and including the {@code count}-th "ended" one (fails after 60 s). */
    List<JsonObject> untilEnded(int count) throws InterruptedException {
      List<JsonObject> got = new ArrayList<>();
      int ended = 0;
      while (ended < count) {
        JsonObject e = queue.poll(60, TimeUnit.SECONDS);
        if (e == null) {
          throw new AssertionError("waited 60 s for " + count + " ended jobs; got " + got);
        }
        got.add(e);
        ended += "ended".equals(e.getString("event")) ? 1 : 0;
      }
      return got;
    }

    @Override
    public void close() {
      response.body().close();
      reader.interrupt();
    }
  }

  private static JsonObject set(String name, Path source, Path dest) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", source.toString()).put("paths", new JsonArray().add(source.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local").put("url", "file://" + dest)));
  }

  private static long create(AuthHarness h, String session, JsonObject set) {
    HttpResponse<Buffer> r = h.as(session, HttpMethod.POST, "sets", set);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  private static long backup(AuthHarness h, String session, long setId) {
    HttpResponse<Buffer> r = h.as(session, HttpMethod.POST, "sets/" + setId + "/backup", new JsonObject());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("jobs").getJsonObject(0).getLong("id");
  }

  private static List<Long> setsIn(List<JsonObject> events) {
    return events.stream().map(e -> e.getJsonObject("data").getLong("setId")).distinct().toList();
  }

  @Test
  void eachUserSeesOnlyTheirOwnJobs_andAnAdminSeesThemAll(Vertx vertx, @TempDir Path dir) throws Exception {
    AuthHarness h = new AuthHarness(vertx, dir.resolve("agent"));
    Path aliceHome = Files.createDirectories(dir.resolve("home/alice"));
    Path bobHome = Files.createDirectories(dir.resolve("home/bob"));
    Files.writeString(Files.createDirectories(aliceHome.resolve("docs")).resolve("a.txt"), "alice's file");
    Files.writeString(Files.createDirectories(bobHome.resolve("docs")).resolve("b.txt"), "bob's file");
    h.createUser("alice", "user", List.of(aliceHome.toString()));
    h.createUser("bob", "user", List.of(bobHome.toString()));
    h.createUser("root", "admin", null);
    String alice = h.session("alice");
    String bob = h.session("bob");
    long aliceSet = create(h, alice, set("Alice docs", aliceHome.resolve("docs"), aliceHome.resolve("backup")));
    long bobSet = create(h, bob, set("Bob docs", bobHome.resolve("docs"), bobHome.resolve("backup")));

    try (Events ofAlice = new Events(h.port, alice); Events ofBob = new Events(h.port, bob);
         Events ofAdmin = new Events(h.port, h.session("root"))) {
      // alice, then bob, then alice again: each stream has seen the others' jobs by the time it sees its own end
      long first = backup(h, alice, aliceSet);
      assertEquals(1, ofAlice.untilEnded(1).stream().filter(e -> "ended".equals(e.getString("event"))).count());
      backup(h, bob, bobSet);
      List<JsonObject> bobs = ofBob.untilEnded(1);
      backup(h, alice, aliceSet);
      List<JsonObject> alices = ofAlice.untilEnded(1);
      List<JsonObject> admins = ofAdmin.untilEnded(3);

      assertEquals(List.of(bobSet), setsIn(bobs), "bob sees only his job: " + bobs);
      assertEquals(List.of(aliceSet), setsIn(alices), "alice never sees bob's job: " + alices);
      assertEquals(List.of(aliceSet, bobSet), setsIn(admins), "an admin sees every job");
      JsonObject end = bobs.get(bobs.size() - 1);
      assertEquals("ended", end.getString("event"));
      assertEquals("Completed", end.getJsonObject("data").getString("status"), end.encode());
      assertTrue(end.getJsonObject("data").getBoolean("done"));
      assertEquals("Bob docs", end.getJsonObject("data").getString("setName"));
      for (List<JsonObject> run : List.of(bobs, alices)) {
        String kind = run.get(0).getString("event");
        assertTrue("started".equals(kind) || "ended".equals(kind) && run.size() == 1, "a run begins with started: " + run);
      }
      assertTrue(ofAlice.comments.contains(": connected"), "the stream opens with a comment: " + ofAlice.comments);
      JsonObject report = h.as(alice, HttpMethod.GET, "jobs/" + first, null).bodyAsJsonObject();
      assertEquals("Completed", report.getString("status"));
    }
    assertEquals(401, h.call(HttpMethod.GET, "events", null).statusCode(), "no credentials, no events");
  }
}
