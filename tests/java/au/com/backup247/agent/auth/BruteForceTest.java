package au.com.backup247.agent.auth;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX S7: password guessing against one account, and spread over login names, through the
 * real API on loopback with the auth service's clock moved by the test (no waiting).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BruteForceTest {

  @Test
  void guessingOneAccount_isSlowedThen429_andAtMost100FailuresAnHour(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    int failures = 0;
    int throttled = 0;
    long start = h.clock.millis();
    for (int i = 0; i < 400 && h.clock.millis() - start < 3_600_000L; i++) {
      HttpResponse<Buffer> r = h.login("alice", "guess number " + i);
      if (r.statusCode() == 429) {
        throttled++;
        String retry = r.getHeader("Retry-After");
        assertNotNull(retry, "429 says when to retry");
        h.clock.advance(Duration.ofSeconds(Long.parseLong(retry)));
      } else {
        assertEquals(401, r.statusCode(), r.bodyAsString());
        failures++;
        h.clock.advance(Duration.ofMillis(200));
      }
    }
    assertTrue(throttled > 0, "the attacker was told to wait");
    assertTrue(failures <= 100, failures + " password checks in an hour (ASVS 2.2.1: at most 100)");
    assertTrue(failures >= 3, "the first failures are free: " + failures);
  }

  @Test
  void theRealUser_isNotLockedOut_fromABrowserTheyUsedBefore(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    String device = AuthHarness.cookie(h.login("alice", PASSWORD), "b247_device");
    assertNotNull(device, "a successful login marks the browser as a trusted device");
    for (int i = 0; i < 200; i++) {
      h.login("alice", "attacker guess " + i);
    }
    assertEquals(429, h.login("alice", PASSWORD).statusCode(), "a new browser must wait like the attacker");
    HttpResponse<Buffer> owner = h.login("alice", PASSWORD, "Cookie", "b247_device=" + device);
    assertEquals(200, owner.statusCode(), owner.bodyAsString());
    HttpResponse<Buffer> forged = h.login("alice", PASSWORD, "Cookie", "b247_device=1.abc." + "x".repeat(43));
    assertEquals(429, forged.statusCode(), "a forged device cookie is no device");
  }

  @Test
  void guessesSpreadOverLoginNames_areHeldPerClientAddress(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    int refused = 0;
    for (int i = 0; i < 60; i++) {
      int status = h.login("user" + i, "password guess").statusCode();
      assertTrue(status == 401 || status == 429, "status " + status);
      refused += status == 429 ? 1 : 0;
    }
    assertTrue(refused >= 25, "after 30 failures from one address the next ones wait: " + refused + " refused");
  }

  @Test
  void failures_surviveARestartOfTheAuthService(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    for (int i = 0; i < 10; i++) {
      h.login("alice", "guess " + i);
    }
    assertEquals(429, h.login("alice", "another guess").statusCode());
    vertx.undeploy(h.authDeployment).await();
    vertx.deployVerticle(new AuthVerticle(h.clock), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    assertEquals(429, h.login("alice", "another guess").statusCode(), "counted in the catalog, not in memory");
  }

  /**
   * An unknown login name costs the same Argon2id work as a known one (memory × passes, counted by
   * the hasher: wall-clock time on a shared CI machine varies more than any difference worth finding),
   * and both answer the same.
   */
  @Test
  void unknownLogins_costTheSameArgon2WorkAsKnownOnes(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    for (int i = 0; i < 3; i++) {
      h.createUser("known" + i, "user", List.of());
    }
    HttpResponse<Buffer> first = h.login("nobody", "wrong password"); // makes the dummy hash once
    assertEquals(401, first.statusCode(), first.bodyAsString());
    long perLogin = (long) PasswordHasher.Params.DEFAULT.memoryKiB() * PasswordHasher.Params.DEFAULT.iterations();
    for (int i = 0; i < 3; i++) {
      long before = h.hasher.workKiB();
      HttpResponse<Buffer> known = h.login("known" + i, "wrong password");
      long knownWork = h.hasher.workKiB() - before;
      HttpResponse<Buffer> unknown = h.login("nobody" + i, "wrong password");
      long unknownWork = h.hasher.workKiB() - before - knownWork;
      assertEquals(perLogin, knownWork, "a known login name checks the password once with the stored parameters");
      assertEquals(knownWork, unknownWork, "an unknown login name costs what a known one does");
      assertEquals(known.statusCode(), unknown.statusCode());
      assertEquals(known.bodyAsJsonObject(), unknown.bodyAsJsonObject());
    }
  }
}
