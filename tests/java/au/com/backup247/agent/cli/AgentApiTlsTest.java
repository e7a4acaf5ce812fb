package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTls;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The CLI trusts exactly its agent's certificate: the one whose fingerprint the state file names. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentApiTlsTest {

  @Test
  void thePinnedCertificateIsTrusted_andAnyOtherRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    ApiTls.Served tls = ApiTls.prepare("0.0.0.0", null, null, dir.resolve("agent")).orElseThrow();
    ApiTls.Served other = ApiTls.prepare("0.0.0.0", null, null, dir.resolve("other")).orElseThrow();
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("host", "0.0.0.0")
        .put("port", 0).put("tls", tls.toJson()))).await();
    String base = "https://127.0.0.2:" + api.actualPort() + "/"; // an address the certificate does not name
    JsonObject doc = vertx.executeBlocking(() -> new AgentApi(base, tls.fingerprint(), "no-token")
        .get("openapi.json")).await();
    assertEquals("3.0.3", doc.getString("openapi"));

    AgentException refused = assertThrows(AgentException.class, () -> vertx.executeBlocking(() ->
        new AgentApi(base, other.fingerprint(), "no-token").get("openapi.json")).await());
    assertEquals(Failure.UNAVAILABLE, refused.failure());
    assertTrue(refused.getMessage().contains("is not the agent's (" + other.fingerprint()), refused.getMessage());
    AgentException noPin = assertThrows(AgentException.class, () -> new AgentApi(base, null, "no-token"));
    assertTrue(noPin.getMessage().contains("names no certificate fingerprint"), noPin.getMessage());
  }
}
