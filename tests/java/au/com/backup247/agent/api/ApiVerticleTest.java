package au.com.backup247.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.system.SystemVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiVerticleTest {
  private WebClient client;
  private int port;
  private String catalogDeployment;
  private Path home;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path home) {
    this.home = home;
    catalogDeployment = vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()).put("version", "9.8.7-test")))
        .await();
    vertx.deployVerticle(new SystemVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("healthTimeoutMs", 500))).await();
    ApiTesting.deployAuth(vertx, home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
        .put("maxBodyBytes", 1024).put("maxHeaderBytes", 1024))).await();
    port = api.actualPort();
    client = ApiTesting.authorized(vertx, home);
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    JsonObject err = r.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(err, r.bodyAsString());
    assertEquals(code, err.getString("code"));
    assertTrue(!err.getString("message").isBlank());
  }

  @Test
  void eventStreams_sendAKeepAliveEvery_api_eventKeepAliveSeconds(Vertx vertx) {
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
        .put("eventKeepAliveSeconds", 1))).await();
    StringBuilder got = new StringBuilder(); // appended on the event loop only
    Promise<Void> keptAlive = Promise.promise();
    vertx.createHttpClient().request(HttpMethod.GET, api.actualPort(), "127.0.0.1", "/api/v1/events")
        .compose(req -> req.putHeader("Authorization", "Bearer " + ApiTesting.token(home)).send())
        .onSuccess(res -> res.handler(b -> {
          got.append(b.toString());
          if (got.indexOf(": keep-alive") >= 0) {
            keptAlive.tryComplete();
          }
        }));
    // well before the default's first keep-alive (15 s)
    keptAlive.future().timeout(10, TimeUnit.SECONDS).await();
    assertTrue(got.toString().startsWith(": connected\n\n: keep-alive\n\n"), got.toString());
  }

  @Test
  void health_isUpWhenCatalogAnswers() {
    HttpResponse<Buffer> r = get("/api/v1/health");
    assertEquals(200, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("UP", body.getString("status"));
    assertEquals("UP", body.getJsonObject("checks").getJsonObject("catalog").getString("status"));
  }

  @Test
  void health_isDownWith503WhenCatalogIsGone(Vertx vertx) {
    vertx.undeploy(catalogDeployment).await();
    HttpResponse<Buffer> r = get("/api/v1/health");
    assertEquals(503, r.statusCode());
    assertEquals("DOWN", r.bodyAsJsonObject().getString("status"));
  }

  @Test
  void info_hasTheInformationPageFields() {
    JsonObject info = get("/api/v1/info").bodyAsJsonObject();
    assertEquals(Runtime.getRuntime().availableProcessors(), info.getInteger("processors"));
    for (String k : new String[] {"version", "jvm", "threads", "heap", "os", "memory"}) {
      assertNotNull(info.getValue(k), k);
    }
    assertTrue(info.getJsonObject("threads").getInteger("peak") >= info.getJsonObject("threads").getInteger("live"));
  }

  @Test
  void unknownRoute_is404InTheErrorShape() {
    assertError(get("/api/v1/nothing-here"), 404, "not_found");
  }

  @Test
  void wrongMethod_is405InTheErrorShape() {
    assertError(client.delete(port, "127.0.0.1", "/api/v1/info").send().await(), 405, "method_not_allowed");
  }

  @Test
  void bodyOverLimit_is413() {
    HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/api/v1/info")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new byte[4096])).await();
    assertError(r, 413, "payload_too_large");
  }

  @Test
  void headersOverLimit_is431() {
    HttpResponse<Buffer> r = client.get(port, "127.0.0.1", "/api/v1/info").putHeader("X-Big", "a".repeat(4000))
        .send().await();
    assertError(r, 431, "headers_too_large");
    assertEquals("request headers are larger than the limit (api.maxHeaderBytes)", r.bodyAsJsonObject()
        .getJsonObject("error").getString("message"));
  }

  @Test
  void headersOverLimit_is431_inTheLanguageOfTheHeadersReadBeforeThem() {
    HttpResponse<Buffer> r = client.get(port, "127.0.0.1", "/api/v1/info").putHeader("Accept-Language", "fr")
        .putHeader("X-Next", "1").putHeader("X-Big", "a".repeat(4000)).send().await();
    assertError(r, 431, "headers_too_large");
    assertEquals("les en-têtes de la requête dépassent la limite (api.maxHeaderBytes)", r.bodyAsJsonObject()
        .getJsonObject("error").getString("message"));
  }

  @Test
  void runs_badLimit_is400NamingTheParameter() {
    HttpResponse<Buffer> r = get("/api/v1/runs?limit=5000");
    assertError(r, 400, "bad_request");
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("limit"));
  }

  @Test
  void runs_listsThisRun() {
    JsonObject page = get("/api/v1/runs?limit=10").bodyAsJsonObject();
    assertEquals(1, page.getJsonArray("items").size());
    assertEquals(ProcessHandle.current().pid(), page.getJsonArray("items").getJsonObject(0).getLong("pid"));
    assertEquals("9.8.7-test", page.getJsonArray("items").getJsonObject(0).getString("version"),
        "the build the entry point handed the catalog");
  }

  @Test
  void responses_carryNosniff() {
    assertEquals("nosniff", get("/api/v1/info").getHeader("X-Content-Type-Options"));
  }
}
