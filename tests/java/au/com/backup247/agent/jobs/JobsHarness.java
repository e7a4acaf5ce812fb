package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.sets.SetsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Catalog, sets, jobs and API verticles on a temp agent home, and REST helpers. */
final class JobsHarness {
  /** The sets' creation time: 2023-11-14T22:13:20Z. */
  static final long NOW = 1_700_000_000_000L;
  final Vertx vertx;
  final Path home;
  final WebClient client;
  final int port;

  JobsHarness(Vertx vertx, Path home, boolean withJobs) {
    this(vertx, home, withJobs, new JsonObject());
  }

  /** With {@code setsConfig} added to the sets verticle's config. */
  JobsHarness(Vertx vertx, Path home, boolean withJobs, JsonObject setsConfig) {
    this.vertx = vertx;
    this.home = home;
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)),
        new DeploymentOptions().setConfig(new JsonObject().put("home", home.toString()).put("owner", "host-1")
            .mergeIn(setsConfig))).await();
    if (withJobs) {
      deployJobs();
    }
    ApiTesting.deployAuth(vertx, home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    port = api.actualPort();
    client = ApiTesting.authorized(vertx, home);
  }

  void deployJobs() {
    deployJobs(new JobsVerticle(), new JsonObject());
  }

  /** Deploys {@code jobs} with {@code config} added to the home. */
  void deployJobs(JobsVerticle jobs, JsonObject config) {
    vertx.deployVerticle(jobs, new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()).mergeIn(config))).await();
  }

  HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", "/api/v1/" + path).send().await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return client.post(port, "127.0.0.1", "/api/v1/" + path).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> put(String path, JsonObject body) {
    return client.put(port, "127.0.0.1", "/api/v1/" + path).sendJsonObject(body).await();
  }

  /** A set backing up {@code source} to local folders {@code dests} (names Local-1, Local-2, ...). */
  static JsonObject set(String name, Path source, List<Path> dests) {
    JsonArray d = new JsonArray();
    for (int i = 0; i < dests.size(); i++) {
      d.add(new JsonObject().put("name", "Local-" + (i + 1)).put("url", "file://" + dests.get(i)));
    }
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", source.toString()).put("paths", new JsonArray().add(source.toString())))
        .put("destinations", d).put("backupMode", "concurrent").put("maxConcurrentDestinations", 2)
        .put("others", new JsonObject().put("followLinks", false));
  }

  static JsonObject command(String name, Path dir, String command) {
    return new JsonObject().put("name", name).put("workingDirectory", dir.toString()).put("command", command)
        .put("timeoutSeconds", 60);
  }

  long create(JsonObject set) {
    HttpResponse<Buffer> r = post("sets", set);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  JsonObject startBackup(long setId) {
    HttpResponse<Buffer> r = post("sets/" + setId + "/backup", new JsonObject());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  JsonArray reports(long setId) {
    HttpResponse<Buffer> r = get("jobs?setId=" + setId);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  /** Waits until the set has {@code count} reports and none is "In progress"; returns them (newest first). */
  JsonArray awaitReports(long setId, int count) {
    return eventuallyGet(Duration.ofSeconds(45), () -> {
      JsonArray items = reports(setId);
      boolean running = items.stream().anyMatch(o -> "In progress".equals(((JsonObject) o).getString("status")));
      assertTrue(items.size() >= count && !running, "reports of set " + setId + " did not settle: "
          + items.encodePrettily());
      return items;
    });
  }

  /** Waits until the report is in {@code status}. */
  JsonObject awaitStatus(long reportId, String status) {
    return eventuallyGet(Duration.ofSeconds(45), () -> {
      JsonObject r = get("jobs/" + reportId).bodyAsJsonObject();
      assertEquals(status, r.getString("status"), "report " + reportId + ": " + r);
      return r;
    });
  }
}
