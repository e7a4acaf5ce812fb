package au.com.backup247.agent.metrics;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import au.com.backup247.agent.bus.CreditFlow;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics on the agent's verticles, on a Vert.x built as the agent builds it
 * ({@link AgentMetrics#vertx}): only admins read it, in the Prometheus text format (parsed here),
 * and a real backup to a local folder shows in the counters.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsApiTest {
  private Vertx vertx;
  private AuthHarness h;

  @BeforeEach
  void agent(@TempDir Path dir) {
    vertx = AgentMetrics.vertx(new VertxOptions());
    h = new AuthHarness(vertx, dir.resolve("agent"));
    vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("eventLoopProbeMs", 20))).await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void metrics_areForAdminsOnly_andInThePrometheusTextFormat() {
    h.createUser("alice", "admin", null);
    h.createUser("bob", "user", null);
    assertEquals(401, h.call(HttpMethod.GET, "/metrics", null).statusCode());
    assertEquals(401, h.call(HttpMethod.GET, "/metrics", null, "Authorization", "Bearer not-the-token").statusCode());
    HttpResponse<Buffer> bob = h.as(h.session("bob"), HttpMethod.GET, "/metrics", null);
    assertEquals(403, bob.statusCode(), bob.bodyAsString());
    assertEquals("forbidden", bob.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(403, h.call(HttpMethod.GET, "/metrics", null, "Authorization", "Bearer " + h.token,
        "X-B247-User", "bob").statusCode(), "the token acting as a user is that user");

    for (HttpResponse<Buffer> r : new HttpResponse[] {h.local(HttpMethod.GET, "/metrics", null),
        h.as(h.session("alice"), HttpMethod.GET, "/metrics", null)}) {
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(AgentMetrics.CONTENT_TYPE, r.getHeader("Content-Type"));
      PrometheusText text = PrometheusText.parse(r.bodyAsString());
      assertFalse(text.samples.isEmpty());
    }
  }

  @Test
  void aBackupToALocalFolder_showsInTheCounters_andTheLoopsTheJvmAndHttpAreMeasured(@TempDir Path dir)
      throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "the first file of the backup, ".repeat(200));
    Files.write(docs.resolve("b.bin"), new byte[300_000]);
    JsonObject set = new JsonObject().put("name", "Docs")
        .put("source", new JsonObject().put("home", docs.toString()).put("paths", new JsonArray().add(docs.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("backup"))));
    HttpResponse<Buffer> created = h.local(HttpMethod.POST, "sets", set);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = String.valueOf(created.bodyAsJsonObject().getLong("id"));
    assertEquals(202, h.local(HttpMethod.POST, "sets/" + id + "/backup", new JsonObject()).statusCode());

    JsonObject report = h.awaitReports(h.token, Long.parseLong(id), 1).getJsonObject(0).getJsonObject("stats");
    assertTrue(report.getLong("bytesRead") >= 306_000, report.encode());
    String[] local = {"set", id, "destination", "Local-1"};
    // The counters are separate series: a scrape taken while the job's end is being counted may show
    // some of them updated and not others, so wait for one that shows the whole end (or time out).
    PrometheusText m = scrapeUntil(t -> t.sum("b247_jobs_total", "kind", "backup") >= 1
        && t.sum("b247_backup_read_bytes_total", local) >= report.getLong("bytesRead")
        && t.sum("b247_backup_new_bytes_total", local) >= report.getLong("bytesNew")
        && t.sum("b247_backup_stored_bytes_total", local) >= report.getLong("bytesStored")
        && t.sum("b247_eventloop_delay_seconds_count") > 0, "the backup's end and an event-loop probe");
    assertEquals(1, m.sum("b247_jobs_total", "kind", "backup", "status", "Completed"), "jobs completed");
    assertEquals(1, m.sum("b247_jobs_total"), "one job ended in all");
    assertEquals(report.getLong("bytesRead"), (long) m.sum("b247_backup_read_bytes_total", local), "bytes read");
    assertEquals(report.getLong("bytesNew"), (long) m.sum("b247_backup_new_bytes_total", local), "bytes new");
    double stored = m.sum("b247_backup_stored_bytes_total", local);
    assertEquals(report.getLong("bytesStored"), (long) stored, "bytes stored");
    assertTrue(stored > 0, "bytes stored");
    assertTrue(m.sum("b247_destination_uploaded_bytes_total", local) >= stored,
        "the destination was sent at least what the job stored there");
    assertEquals(0, m.sum("b247_destination_failures_total"), "no destination failed");
    assertEquals("counter", m.types.get(m.family("b247_jobs_total")));

    int loops = m.find("b247_eventloop_delay_seconds_count").size();
    assertEquals(2 * Runtime.getRuntime().availableProcessors(), loops, "one series per event loop");
    assertEquals("summary", m.types.get("b247_eventloop_delay_seconds"));
    assertTrue(m.sum("jvm_memory_used_bytes", "area", "heap") > 0, "JVM memory");
    assertTrue(m.sum("jvm_threads_live_threads") > 0, "JVM threads");
    assertFalse(m.find("jvm_gc_max_data_size_bytes").isEmpty(), "JVM GC");
    assertEquals(1, m.sum("vertx_http_server_requests_total", "method", "POST", "code", "202",
        "route", "/api/v1/sets/:id/backup"), "the API's requests by method, status and route: "
        + m.find("vertx_http_server_requests_total"));
    String all = String.join("\n", m.samples.stream().map(s -> s.labels().toString()).toList());
    assertFalse(all.contains(docs.toString()) || all.contains("Docs"), "no path or set name in a label");
  }

  @Test
  void creditFlows_showTheirQueuesAndCredits_underOneNamePerStage() {
    String address = "b247.test." + UUID.randomUUID() + ".stage";
    Promise<Void> release = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> CreditFlow.<String>receive(vertx, address, 2, item -> release.future())
        .compose(c -> CreditFlow.Sender.<String>create(vertx, address, new DeliveryOptions()))
        .onSuccess(s -> {
          for (int i = 0; i < 5; i++) {
            s.send("item " + i);
          }
        }));
    String[] flow = {"flow", "b247.test.*.stage"};
    PrometheusText m = scrapeUntil(t -> t.sum("b247_flow_in_hand", flow) == 2 && t.sum("b247_flow_pending", flow) == 1
        && t.sum("b247_flow_queued", flow) == 3,
        "two items in the receiver's hands (one handled, one in its queue) and three waiting at the sender");
    assertEquals(2, m.sum("b247_flow_window", flow));
    assertEquals(0, m.sum("b247_flow_credits", flow));
    vertx.runOnContext(v -> release.complete());
    scrapeUntil(t -> t.sum("b247_flow_queued", flow) == 0 && t.sum("b247_flow_in_hand", flow) == 0
        && t.sum("b247_flow_pending", flow) == 0
        && t.sum("b247_flow_credits", flow) == 2, "every item handled and the window back with the sender");
  }

  /** Scrapes as the local admin until {@code ok} holds; fails after 30 s with the last scrape. */
  private PrometheusText scrapeUntil(Predicate<PrometheusText> ok, String what) {
    return eventuallyGet(Duration.ofSeconds(30), () -> {
      HttpResponse<Buffer> r = h.local(HttpMethod.GET, "/metrics", null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      PrometheusText t = PrometheusText.parse(r.bodyAsString());
      assertTrue(ok.test(t), "a scrape showing " + what + "; the last:\n" + r.bodyAsString());
      return t;
    });
  }
}
