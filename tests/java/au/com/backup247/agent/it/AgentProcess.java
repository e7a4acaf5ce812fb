package au.com.backup247.agent.it;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Drives the packaged agent ({@code target/b247-agent.jar}) as a separate process, as a user would. */
final class AgentProcess {
  static final String JAR = System.getProperty("b247.jar", "target/b247-agent.jar");

  private AgentProcess() {
  }

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code java}, with the jar's class-data sharing archive when the build wrote one, as
   * {@code launch/b247} starts it (each process starts about half a second sooner).
   *
   * <p>Started through {@code env --default-signal=INT} (which execs it: same pid): a test run
   * started in the background by a non-interactive shell ignores SIGINT, every child inherits that,
   * and a JVM that starts with SIGINT ignored never installs its handler, so the Ctrl-C the tests
   * send would be ignored (the agent then stops only when killed). From a terminal, SIGINT is not ignored.
   */
  static List<String> jvm() {
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", java()));
    Path archive = Path.of(JAR.replaceFirst("\\.jar$", ".jsa")).toAbsolutePath();
    if (Files.isRegularFile(archive)) {
      cmd.add("-XX:SharedArchiveFile=" + archive);
      cmd.add("-Xshare:auto");
    }
    return cmd;
  }

  /** {@code java -jar <jar> args...} as {@link #jvm} starts it (a list the caller may extend). */
  static List<String> javaJar(String... args) {
    List<String> cmd = jvm();
    cmd.add("-jar");
    cmd.add(JAR);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * {@code java -cp <jar>:<test classes> B247}: the packaged agent plus the test build's service
   * hooks (the crash points of {@code backup.CrashPoints}), which the jar alone does not have.
   */
  static List<String> withTestHooks() {
    String tests;
    try {
      tests = Path.of(AgentProcess.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> cmd = jvm();
    cmd.addAll(List.of("-cp", JAR + java.io.File.pathSeparator + tests, "au.com.backup247.agent.cli.B247"));
    return cmd;
  }

  static List<String> command(Path home, String... args) {
    List<String> cmd = javaJar(args);
    if (args.length > 0 && !args[0].startsWith("-")) {
      cmd.add("--home");
      cmd.add(home.toString());
    }
    return cmd;
  }

  /** Starts {@code b247 args...}; output goes to files in {@code home}/../ (read with {@link #out}). */
  static Process spawn(Path home, String name, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(home, args));
    pb.redirectOutput(home.resolveSibling(name + ".out").toFile());
    pb.redirectError(home.resolveSibling(name + ".err").toFile());
    pb.environment().remove("B247_HOME");
    return pb.start();
  }

  static String out(Path home, String name) throws IOException {
    Path p = home.resolveSibling(name + ".out");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  static String err(Path home, String name) throws IOException {
    Path p = home.resolveSibling(name + ".err");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** Runs {@code b247 args...} to completion (at most {@code seconds}). */
  static Result exec(Path home, int seconds, String... args) throws Exception {
    String name = "exec-" + System.nanoTime();
    Process p = spawn(home, name, args);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("b247 " + String.join(" ", args) + " did not finish within " + seconds + " s");
    }
    return new Result(p.exitValue(), out(home, name), err(home, name));
  }

  static Result shell(int seconds, String... cmd) throws Exception {
    return shell(seconds, Map.of(), cmd);
  }

  /**
   * Runs {@code cmd} with standard input from /dev/null and {@code env} changed in its environment
   * (an empty value removes the variable); fails the test when it takes more than {@code seconds}.
   */
  static Result shell(int seconds, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    env.forEach((k, v) -> {
      if (v.isEmpty()) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Path out = Files.createTempFile("b247-sh", ".out");
    Path err = Files.createTempFile("b247-sh", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " did not finish within " + seconds + " s");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Writes {@code home/config/agent.json}, the home owner-only as the agent requires (0700, the file 0600). */
  static void writeConfig(Path home, JsonObject config) throws IOException {
    PrivateFiles.createDir(home);
    PrivateFiles.createDir(home.resolve("config"));
    PrivateFiles.write(home.resolve("config/agent.json"), config.encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  static void writePort(Path home, int port) throws IOException {
    writeConfig(home, new JsonObject().put("api", new JsonObject().put("port", port))
        .put("shutdown", new JsonObject().put("timeoutSeconds", 20)));
  }

  /** Waits until {@code cond} holds; a condition that throws fails the wait at once. */
  static void await(String what, int seconds, BooleanSupplier cond) {
    eventually(Duration.ofSeconds(seconds), () -> {
      boolean met;
      try {
        met = cond.getAsBoolean();
      } catch (RuntimeException | AssertionError e) {
        throw new Eventually.Hopeless("waiting for " + what + ": " + e.getMessage(), e);
      }
      assertTrue(met, "waiting for " + what);
    });
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with the agent's API token from {@code home/run/api-token}, as the CLI sends it. */
  static HttpResponse<String> get(Path home, int port, String path) throws Exception {
    String token = Files.readString(home.resolve("run/api-token"), StandardCharsets.UTF_8).strip();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void signal(long pid, String sig) throws Exception {
    Result r = shell(10, "kill", "-" + sig, Long.toString(pid));
    assertTrue(r.exit() == 0, "kill -" + sig + " " + pid + ": " + r.all());
  }

  /** Expected failures print one line, never a stack trace. */
  static void assertNoStackTrace(String output) {
    assertTrue(!output.contains("\tat ") && !output.contains("Exception"), "stack trace in output:\n" + output);
  }

  static void killQuietly(Process p) {
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
    }
  }

  static void killQuietly(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }
}
