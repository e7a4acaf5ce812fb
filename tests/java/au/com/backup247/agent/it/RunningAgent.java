package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code b247 run} agent process on a temp home and loopback port, for tests that drive it
 * with the {@code b247} commands (each its own process) and its REST API.
 */
final class RunningAgent implements AutoCloseable {
  final Path home;
  final int port;
  private final String name;
  Process process;

  private RunningAgent(Path home, int port, String name, Process process) {
    this.home = home;
    this.port = port;
    this.name = name;
    this.process = process;
  }

  /** Starts an agent on {@code home} (its config is written the first time) and waits until it serves. */
  static RunningAgent start(Path home, int port, String name) throws Exception {
    if (!home.resolve("config/agent.json").toFile().exists()) {
      AgentProcess.writePort(home, port);
    }
    Process p = AgentProcess.spawn(home, name, "run");
    RunningAgent a = new RunningAgent(home, port, name, p);
    AgentProcess.await("the agent to serve on port " + port, 90, () -> {
      if (!p.isAlive()) {
        throw new AssertionError("the agent exited with " + p.exitValue() + ": " + a.output());
      }
      return a.output().contains("API and console: http://127.0.0.1:" + port + "/");
    });
    return a;
  }

  String output() {
    try {
      return AgentProcess.out(home, name) + AgentProcess.err(home, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code b247 args... --home HOME}; fails the test when it takes more than 120 s. */
  AgentProcess.Result b247(String... args) throws Exception {
    return AgentProcess.exec(home, 120, args);
  }

  /** {@code b247 args...} that must exit 0; returns its standard output. */
  String ok(String... args) throws Exception {
    AgentProcess.Result r = b247(args);
    assertEquals(0, r.exit(), "b247 " + String.join(" ", args) + ":\n" + r.all());
    AgentProcess.assertNoStackTrace(r.all());
    return r.out();
  }

  /**
   * A request to the API with the local token (as the CLI sends it); fails unless the answer has
   * {@code status}; returns its JSON body.
   */
  JsonObject send(String method, String path, JsonObject body, int status) throws Exception {
    String token = Files.readString(home.resolve("run/api-token"), StandardCharsets.UTF_8).strip();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/" + path))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  JsonObject getJson(String path) throws Exception {
    HttpResponse<String> r = AgentProcess.get(home, port, "/api/v1/" + path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return new JsonObject(r.body());
  }

  /** SIGKILL: the agent and every process it started die at once, as in a crash. */
  void kill() throws Exception {
    var children = process.descendants().toList();
    AgentProcess.signal(process.pid(), "KILL");
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the agent did not die");
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** Clean stop (SIGINT, as Ctrl-C). */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      AgentProcess.signal(process.pid(), "INT");
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }
}
