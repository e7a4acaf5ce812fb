package au.com.backup247.agent.api;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated from openapi.json, so a new route cannot be forgotten: every operation that does not
 * declare {@code "security": []} answers 401 without credentials (with a bad token and with a
 * made-up session cookie too), and the public ones answer without.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EveryRouteNeedsCredentialsTest {

  record Operation(HttpMethod method, String path, boolean open) {
  }

  static List<Operation> operations() {
    JsonObject doc = new JsonObject(ApiVerticle.openApi());
    JsonArray global = doc.getJsonArray("security");
    assertTrue(global != null && !global.isEmpty(), "openapi.json must require credentials by default");
    List<Operation> out = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String p : paths.fieldNames()) {
      for (String m : paths.getJsonObject(p).fieldNames()) {
        JsonArray sec = paths.getJsonObject(p).getJsonObject(m).getJsonArray("security");
        String concrete = p.replace("{id}", "1700000000000").replace("{login}", "alice").replace("{sessionId}", "ab12")
            .replaceAll("\\{[A-Za-z]+}", "x1");
        out.add(new Operation(HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)), concrete, sec != null && sec.isEmpty()));
      }
    }
    return out;
  }

  @Test
  void everyProtectedRoute_withoutCredentials_is401(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    List<Operation> ops = operations();
    assertTrue(ops.stream().filter(o -> !o.open()).count() > 30, "the document lists the protected routes");
    for (Operation o : ops) {
      if (o.open()) {
        continue;
      }
      JsonObject body = o.method() == HttpMethod.GET || o.method() == HttpMethod.DELETE ? null : new JsonObject();
      assert401(h.call(o.method(), o.path(), body), o, "no credentials");
      assert401(h.call(o.method(), o.path(), body, "Authorization", "Bearer not-the-token"), o, "a wrong token");
      assert401(h.call(o.method(), o.path(), body, "Cookie", "b247_session=made-up"), o, "a made-up session");
    }
  }

  @Test
  void publicRoutes_answerWithoutCredentials(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    assertEquals(200, h.call(HttpMethod.GET, "health", null).statusCode());
    assertEquals(200, h.call(HttpMethod.GET, "openapi.json", null).statusCode());
    assertEquals(200, h.call(HttpMethod.GET, "auth/setup", null).statusCode());
    assertEquals(200, h.call(HttpMethod.POST, "auth/forget-device", new JsonObject()).statusCode());
    assertEquals(401, h.login("nobody", "wrong password").statusCode());
    assertEquals(200, h.call(HttpMethod.GET, "/", null).statusCode());
  }

  private static void assert401(HttpResponse<Buffer> r, Operation o, String with) {
    assertEquals(401, r.statusCode(), o.method() + " " + o.path() + " with " + with + ": " + r.bodyAsString());
    assertEquals("unauthorized", r.bodyAsJsonObject().getJsonObject("error").getString("code"),
        o.method() + " " + o.path());
  }
}
