package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.InstanceLock;
import au.com.backup247.agent.jobs.JobsVerticle;
import au.com.backup247.agent.sets.SetsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent in this JVM for CLI tests that need one: catalog, sets, jobs, auth and API verticles on a
 * temp home, the home's lock held and its state file written as {@code b247 run} does, so the
 * {@code b247} commands run in-process ({@link CliRun}) find and call it as they would a daemon.
 */
public final class CliAgent implements AutoCloseable {
  public final Path home;
  private final Vertx vertx;
  private final InstanceLock lock;

  public CliAgent(Path home) throws IOException {
    this.home = home;
    AgentHome h = new AgentHome(home);
    lock = InstanceLock.acquire(h);
    vertx = Vertx.vertx();
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(Clock.systemUTC()), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()).put("owner", "host-1"))).await();
    vertx.deployVerticle(new JobsVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    ApiTesting.deployAuth(vertx, home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    Files.writeString(h.stateFile(), new JsonObject().put("pid", ProcessHandle.current().pid())
        .put("api", "http://127.0.0.1:" + api.actualPort() + "/").put("home", home.toString()).encode(),
        StandardCharsets.UTF_8);
  }

  /** {@code b247 args... --home HOME} in this JVM. */
  public CliRun.Result b247(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    return CliRun.b247(all);
  }

  /** A command that must exit 0 without a stack trace; returns its standard output. */
  public String ok(String... args) {
    CliRun.Result r = b247(args);
    assertEquals(0, r.exit(), "b247 " + String.join(" ", args) + ":\n" + r.all());
    assertFalse(r.all().contains("\tat "), r.all());
    return r.out();
  }

  /** Creates a set from its JSON document; returns its id. */
  public String createSet(Path dir, JsonObject set) throws IOException {
    Path file = Files.writeString(dir.resolve("set-" + System.nanoTime() + ".json"), set.encode());
    return group(ok("set", "create", "--file", file.toString()), "\\(id ([0-9]+)\\)");
  }

  public static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no match for " + regex + " in:\n" + text);
    }
    return m.group(1);
  }

  @Override
  public void close() {
    try {
      vertx.close().await();
    } finally {
      lock.close();
    }
  }
}
