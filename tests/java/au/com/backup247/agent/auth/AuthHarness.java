package au.com.backup247.agent.auth;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.jobs.JobsVerticle;
import au.com.backup247.agent.sets.SetsVerticle;
import au.com.backup247.agent.system.SystemVerticle;
import au.com.backup247.agent.testing.MovableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agent's catalog, sets, jobs, system, auth and API verticles on a temp home, the auth service
 * on a clock the test moves, and a plain HTTP client that sends exactly the headers a test gives
 * (no cookie jar, no token unless asked).
 */
public final class AuthHarness {
  public static final String PASSWORD = "correct horse battery staple";
  public final Vertx vertx;
  public final Path home;
  public final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
  public final WebClient client;
  public final int port;
  public final String token;
  /** The auth service's password hasher (tests read the Argon2 work it did). */
  public final PasswordHasher hasher = new PasswordHasher();
  /** The auth service's deployment (tests restart it). */
  public final String authDeployment;

  public AuthHarness(Vertx vertx, Path home) {
    this(vertx, home, new JsonObject());
  }

  /** With agent.json's {@code auth} settings and {@code api} settings ({@code allowedOrigins}, ...). */
  public AuthHarness(Vertx vertx, Path home, JsonObject authSettings, JsonObject apiSettings) {
    this.vertx = vertx;
    this.home = home;
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    vertx.deployVerticle(new JobsVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    vertx.deployVerticle(new SystemVerticle(), new DeploymentOptions()).await();
    authDeployment = vertx.deployVerticle(new AuthVerticle(clock, hasher), new DeploymentOptions()
        .setConfig(authSettings.copy().put("home", home.toString()))).await();
    token = ApiTesting.token(home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(apiSettings.copy().put("port", 0))).await();
    port = api.actualPort();
    client = WebClient.create(vertx);
  }

  public AuthHarness(Vertx vertx, Path home, JsonObject authSettings) {
    this(vertx, home, authSettings, new JsonObject());
  }

  /** A request with exactly these headers (name, value, name, value, ...) and a JSON body (null: none). */
  public HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body, String... headers) {
    HttpRequest<Buffer> r = client.request(method, port, "127.0.0.1", path.startsWith("/") ? path : "/api/v1/" + path)
        .idleTimeout(IDLE_TIMEOUT_MS);
    MultiMap h = r.headers();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    if (body != null && !h.contains("Content-Type")) {
      h.add("Content-Type", "application/json");
    }
    try {
      return (body == null ? r.send() : r.sendBuffer(body.toBuffer())).await();
    } catch (RuntimeException e) {
      throw new AssertionError(method + " " + path + " got no answer: " + e, e);
    }
  }

  /**
   * A request that gets no byte for this long fails naming its route, instead of hanging the test
   * until the class's timeout (seen once: a login that never answered).
   */
  private static final long IDLE_TIMEOUT_MS = 60_000;

  /** A request as the local admin (the API token). */
  public HttpResponse<Buffer> local(HttpMethod method, String path, JsonObject body) {
    return call(method, path, body, "Authorization", "Bearer " + token);
  }

  /** A request with a session token as bearer. */
  public HttpResponse<Buffer> as(String session, HttpMethod method, String path, JsonObject body) {
    return call(method, path, body, "Authorization", "Bearer " + session);
  }

  /**
   * Waits until {@code session} sees {@code count} reports of the set, none "In progress"; returns
   * them, newest first.
   */
  public JsonArray awaitReports(String session, long setId, int count) {
    return eventuallyGet(Duration.ofSeconds(30), () -> {
      JsonArray items = as(session, HttpMethod.GET, "jobs?setId=" + setId, null).bodyAsJsonObject()
          .getJsonArray("items");
      assertTrue(items.size() >= count && items.stream().noneMatch(o -> "In progress".equals(((JsonObject) o)
          .getString("status"))), "reports of set " + setId + " did not settle: " + items.encodePrettily());
      return items;
    });
  }

  /** Creates an account through the local token; returns its view. */
  public JsonObject createUser(String login, String role, List<String> folders) {
    JsonObject body = new JsonObject().put("login", login).put("password", PASSWORD).put("role", role);
    if (folders != null) {
      body.put("folders", new JsonArray(folders));
    }
    HttpResponse<Buffer> r = local(HttpMethod.POST, "users", body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** Logs in with the password; returns the answer (asserting 200). */
  public HttpResponse<Buffer> login(String login, String password, String... headers) {
    return call(HttpMethod.POST, "auth/login", new JsonObject().put("login", login).put("password", password),
        headers);
  }

  /** Logs in and returns the session token. */
  public String session(String login) {
    HttpResponse<Buffer> r = login(login, PASSWORD);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("token");
  }

  /** The value of cookie {@code name} set by a response, or null. */
  public static String cookie(HttpResponse<Buffer> r, String name) {
    for (String c : r.cookies()) {
      if (c.startsWith(name + "=")) {
        return c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
      }
    }
    return null;
  }

  /** The whole Set-Cookie header for cookie {@code name}, or null. */
  public static String setCookie(HttpResponse<Buffer> r, String name) {
    return r.cookies().stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
  }
}
