package au.com.backup247.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keeps api/openapi.json in step with the routes the API really serves. */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

  @Test
  void everyApiRouteIsDocumented_andEveryDocumentedOperationIsRouted(Vertx vertx) {
    Router router = ApiVerticle.router(vertx, 1024);
    Set<String> routed = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      String path = r.getPath();
      boolean api = path != null && (path.startsWith(ApiVerticle.PREFIX) || path.equals(MetricsRoutes.PATH));
      if (!api || path.endsWith("/") || r.methods() == null) {
        continue; // catch-all handlers (body limit, headers) and the console
      }
      for (HttpMethod m : r.methods()) {
        routed.add(m.name().toLowerCase() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    JsonObject doc = new JsonObject(ApiVerticle.openApi());
    Set<String> documented = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String p : paths.fieldNames()) {
      for (String m : paths.getJsonObject(p).fieldNames()) {
        documented.add(m + " " + p);
      }
    }
    assertEquals(documented, routed);
  }

  @Test
  void document_isOpenApi3WithUniqueOperationIds() {
    JsonObject doc = new JsonObject(ApiVerticle.openApi());
    assertEquals("3.0.3", doc.getString("openapi"));
    Set<String> ids = new TreeSet<>();
    int count = 0;
    JsonObject paths = doc.getJsonObject("paths");
    for (String p : paths.fieldNames()) {
      for (String m : paths.getJsonObject(p).fieldNames()) {
        ids.add(paths.getJsonObject(p).getJsonObject(m).getString("operationId"));
        count++;
      }
    }
    assertEquals(count, ids.size());
  }
}
