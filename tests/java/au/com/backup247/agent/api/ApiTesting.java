package au.com.backup247.agent.api;

import au.com.backup247.agent.auth.AuthVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** For tests that call the API: the auth service on a home, and a client that sends its API token. */
public final class ApiTesting {
  private ApiTesting() {
  }

  /** Deploys the auth service on {@code home} (after the catalog); returns the local API token. */
  public static String deployAuth(Vertx vertx, Path home) {
    return deployAuth(vertx, home, Clock.systemUTC(), new JsonObject());
  }

  /** The same with a clock and auth settings (agent.json's {@code auth}). */
  public static String deployAuth(Vertx vertx, Path home, Clock clock, JsonObject settings) {
    vertx.deployVerticle(new AuthVerticle(clock), new DeploymentOptions()
        .setConfig(settings.copy().put("home", home.toString()))).await();
    return token(home);
  }

  /** The token the auth service wrote to {@code home/run/api-token}. */
  public static String token(Path home) {
    try {
      return Files.readString(home.resolve("run/api-token"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A web client that sends the local API token with every request (as the CLI does). */
  public static WebClient authorized(Vertx vertx, Path home) {
    return WebClientSession.create(WebClient.create(vertx)).addHeader("Authorization", "Bearer " + token(home));
  }
}
