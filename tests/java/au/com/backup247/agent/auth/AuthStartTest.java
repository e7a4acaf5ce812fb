package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the auth service's start refuses, and how: a bad setting is CONFIG_INVALID (exit 5) naming the file. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthStartTest {

  @Test
  void anAgentSecretOthersMayRead_isABadSetting_namingTheFileAndTheFix(Vertx vertx, @TempDir Path home)
      throws Exception {
    Path secret = home.resolve("keys/agent.secret");
    AgentSecret.load(secret); // created owner-only
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Throwable err = vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions()
            .setConfig(new JsonObject().put("home", home.toString())))
        .<Throwable>map(id -> null).otherwise(e -> e).await();
    AgentException a = assertInstanceOf(AgentException.class, err);
    assertEquals(Failure.CONFIG_INVALID, a.failure(), a.getMessage());
    assertEquals("agent secret " + secret + " is readable or writable by group or others (mode rw-r--r--); "
        + "run: chmod 600 " + secret, a.getMessage());
  }
}
