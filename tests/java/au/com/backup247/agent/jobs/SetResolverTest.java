package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The one set resolver of the jobs: real catalog and sets service, sets made through the API. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetResolverTest {

  private static AgentException failure(Runnable r) {
    return assertThrows(AgentException.class, r::run);
  }

  private static AgentException failed(io.vertx.core.Future<?> f) {
    Throwable t = assertThrows(Throwable.class, f::await);
    return AgentException.from(t);
  }

  @Test
  void resolve_givesTheSet_itsKey_andItsDestinationsByName(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    long id = h.create(JobsHarness.set("Docs", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"), dir.resolve("d2"))));
    SetResolver.Resolved r = new SetResolver(vertx, h.home).resolve(id, Caller.SYSTEM).await();

    assertEquals(id, r.set().id());
    assertEquals(Files.readString(h.home.resolve("keys/" + id + ".key")).trim(), r.secret().trim());
    assertEquals(2, r.targets(null).size());
    assertEquals("Local-2", r.targets(new JsonArray().add("local-2").add("LOCAL-2")).get(0).name());
    assertEquals(1, r.targets(new JsonArray().add("local-2").add("LOCAL-2")).size(), "named twice, listed once");
    assertEquals("Local-1", r.target("local-1").name());
  }

  @Test
  void destinationsThatAreNotTheSets_areBadRequests_namingThem(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    long id = h.create(JobsHarness.set("Docs", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"))));
    SetResolver.Resolved r = new SetResolver(vertx, h.home).resolve(id, Caller.SYSTEM).await();

    AgentException office = failure(() -> r.target("Office"));
    assertEquals(Failure.BAD_REQUEST, office.failure());
    assertTrue(office.getMessage().contains("\"Office\"") && office.getMessage().contains("Local-1"),
        office.getMessage());
    assertEquals("e.destinations.list", failure(() -> r.targets(new JsonArray())).key());
    assertEquals("e.destinations.list", failure(() -> r.targets("Local-1")).key());
  }

  @Test
  void anotherUsersSet_isNotFound_likeAMissingOne(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    long id = h.create(JobsHarness.set("Docs", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"))));
    SetResolver resolver = new SetResolver(vertx, h.home);
    Caller bob = new Caller(7L, "bob", Caller.Role.USER, List.of("/home/bob"), "en");

    AgentException other = failed(resolver.resolve(id, new JsonObject().put(Caller.FIELD, bob.toJson())));
    assertEquals(Failure.NOT_FOUND, other.failure());
    assertEquals("e.set.notFound", other.key());
    assertEquals(Failure.NOT_FOUND, failed(resolver.resolve(id + 100, Caller.SYSTEM)).failure());
    assertNotNull(resolver.resolve(id, new JsonObject()).await(), "no caller: the agent itself");
  }

  @Test
  void anEncryptedSetWithoutItsKeyFile_isUnavailable_namingTheFile(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    long id = h.create(JobsHarness.set("Docs", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"))));
    Path key = h.home.resolve("keys/" + id + ".key");
    Files.delete(key);

    AgentException missing = failed(new SetResolver(vertx, h.home).resolve(id, Caller.SYSTEM));
    assertEquals(Failure.UNAVAILABLE, missing.failure());
    assertTrue(missing.getMessage().contains(key.toString()), missing.getMessage());
  }

  @Test
  void anUnencryptedSet_hasNoSecret(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    long id = h.create(JobsHarness.set("Plain", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"))).put("encryption", new JsonObject().put("enabled", false)));
    assertNull(new SetResolver(vertx, h.home).resolve(id, Caller.SYSTEM).await().secret());
  }
}
