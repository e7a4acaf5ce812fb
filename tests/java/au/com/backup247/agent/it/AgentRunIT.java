package au.com.backup247.agent.it;

import static au.com.backup247.agent.it.AgentProcess.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code b247 run}: the agent in the foreground, as a separate process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentRunIT {

  /**
   * The class-data sharing archive {@code mvn package} writes ({@code launch/cds-archive}) is there
   * and matches the jar: with {@code -Xshare:on} the JVM refuses to start on a missing or mismatched
   * archive instead of ignoring it, as {@code launch/b247}'s {@code -Xshare:auto} would.
   */
  @Test
  void theClassDataSharingArchiveMatchesTheJar() throws Exception {
    List<String> cmd = AgentProcess.javaJar("--version");
    assertTrue(cmd.stream().anyMatch(w -> w.startsWith("-XX:SharedArchiveFile=")),
        "no class-data sharing archive beside " + AgentProcess.JAR + " (mvn package writes it)");
    cmd.add(cmd.indexOf("-jar"), "-Xshare:on");
    AgentProcess.Result r = AgentProcess.shell(60, cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().startsWith("B247 Agent "), r.all());
  }

  /** So does the second one, for commands that name a remote destination (launch/b247 picks it). */
  @Test
  void theRemoteDestinationsArchiveMatchesTheJar() throws Exception {
    List<String> cmd = AgentProcess.javaJar("--version");
    cmd.replaceAll(w -> w.startsWith("-XX:SharedArchiveFile=") ? w.replaceFirst("\\.jsa$", "-remote.jsa") : w);
    assertTrue(cmd.stream().anyMatch(w -> w.endsWith("-remote.jsa")), String.join(" ", cmd));
    cmd.add(cmd.indexOf("-jar"), "-Xshare:on");
    AgentProcess.Result r = AgentProcess.shell(60, cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().startsWith("B247 Agent "), r.all());
  }

  @Test
  void run_servesApi_refusesSecondInstance_andCtrlCStopsCleanly(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    AgentProcess.writePort(home, port);
    Process agent = AgentProcess.spawn(home, "agent", "run");
    try {
      AgentProcess.await("the agent to print its address", 60,
          () -> uncheckedOut(home).contains("API and console: http://127.0.0.1:" + port + "/"));
      HttpResponse<String> health = AgentProcess.get(port, "/api/v1/health");
      assertEquals(200, health.statusCode(), health.body());
      assertEquals("UP", new JsonObject(health.body()).getString("status"));
      assertEquals(Long.toString(agent.pid()), Files.readString(home.resolve("run/agent.pid")).trim());

      // a second agent on the same home fails fast, naming the running one
      long t0 = System.nanoTime();
      AgentProcess.Result second = AgentProcess.exec(home, 30, "run");
      assertEquals(4, second.exit(), second.all());
      assertTrue(second.err().contains("already running (pid " + agent.pid() + ")"), second.all());
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 30);
      assertNoStackTrace(second.all());

      AgentProcess.signal(agent.pid(), "INT"); // what Ctrl-C sends
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "agent did not stop after SIGINT");
      assertEquals(0, agent.exitValue(), uncheckedOut(home));
      assertTrue(uncheckedOut(home).contains("b247: stopped"));
      String log = Files.readString(home.resolve("logs/agent.log"));
      assertTrue(log.contains("stopped cleanly: verticles undeployed, catalog closed"), log);
      assertFalse(Files.exists(home.resolve("run/agent.pid")), "pid file left behind");
      assertFalse(Files.exists(home.resolve("catalog.db-wal")) && Files.size(home.resolve("catalog.db-wal")) > 0,
          "catalog not closed cleanly (WAL not checkpointed)");
    } finally {
      AgentProcess.killQuietly(agent);
    }
  }

  @Test
  void run_createsTheAgentHomeWithDefaults(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("fresh");
    int port = AgentProcess.freePort();
    AgentProcess.writePort(home, port);
    Process agent = AgentProcess.spawn(home, "agent", "run");
    try {
      AgentProcess.await("the agent to start", 60, () -> uncheckedOut(home).contains("API and console"));
      for (String p : new String[] {"config/agent.json", "logs/agent.log", "temp", "run/agent.pid", "catalog.db"}) {
        assertTrue(Files.exists(home.resolve(p)), p);
      }
      // owner-only: the folders 0700, the files 0600
      for (String p : new String[] {"", "config", "logs", "temp", "run"}) {
        assertEquals("rwx------", mode(home.resolve(p)), "home/" + p);
      }
      for (String p : new String[] {"config/agent.json", "logs/agent.log", "run/agent.pid", "run/agent.json",
          "catalog.db", "catalog.db-wal"}) {
        assertEquals("rw-------", mode(home.resolve(p)), p);
      }
    } finally {
      agent.destroy();
      agent.waitFor(60, TimeUnit.SECONDS);
      AgentProcess.killQuietly(agent);
    }
  }

  @Test
  void aHomeOthersMayRead_isRefusedNamingTheChmod_andChmod700FixesIt(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    AgentProcess.writePort(home, port);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    AgentProcess.Result r = AgentProcess.exec(home, 60, "run");
    assertEquals(5, r.exit(), r.all());
    assertTrue(r.err().contains("agent home " + home + " is readable or writable by group or others "
        + "(mode rwxr-xr-x); run: chmod 700 " + home), r.all());
    assertEquals(1, r.err().strip().lines().count(), r.all());
    assertNoStackTrace(r.all());
    assertFalse(Files.exists(home.resolve("catalog.db")), "nothing is started on a refused home");

    AgentProcess.Result chmod = AgentProcess.shell(10, "chmod", "700", home.toString());
    assertEquals(0, chmod.exit(), chmod.all());
    try (RunningAgent agent = RunningAgent.start(home, port, "fixed")) {
      assertEquals("UP", agent.getJson("health").getString("status"));
    }
  }

  @Test
  void onAllAddresses_theAgentServesHttpsWithAGeneratedCertificate_andTheCliTrustsExactlyIt(@TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    AgentProcess.writeConfig(home, new JsonObject().put("api", new JsonObject().put("host", "0.0.0.0")
        .put("port", port)).put("shutdown", new JsonObject().put("timeoutSeconds", 20)));
    Process agent = AgentProcess.spawn(home, "tls", "run");
    try {
      AgentProcess.await("the agent to serve HTTPS", 60, () -> {
        try {
          return AgentProcess.out(home, "tls").contains("API and console: https://127.0.0.1:" + port + "/");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Path crt = home.resolve("config/tls/agent.crt");
      for (String f : new String[] {"config/tls/agent.crt", "config/tls/agent.key"}) {
        assertEquals("rw-------", mode(home.resolve(f)), f);
      }
      String fp = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(((X509Certificate) CertificateFactory.getInstance("X.509")
              .generateCertificate(Files.newInputStream(crt))).getEncoded()));
      assertTrue(Files.readString(home.resolve("logs/agent.log")).contains("API certificate SHA-256 fingerprint " + fp
          + " (" + crt + ", generated now)"));
      assertEquals(fp, new JsonObject(Files.readString(home.resolve("run/agent.json"))).getJsonObject("tls")
          .getString("fingerprint"));
      AgentProcess.Result info = AgentProcess.exec(home, 60, "info");
      assertEquals(0, info.exit(), info.all());
      assertTrue(info.out().lines().anyMatch(l -> l.startsWith("API Certificate SHA-256 ") && l.endsWith(" " + fp)),
          info.all());
      AgentProcess.Result sets = AgentProcess.exec(home, 60, "set", "list");
      assertEquals(0, sets.exit(), sets.all());
      // plain HTTP is not answered
      assertThrows(java.io.IOException.class, () -> AgentProcess.get(port, "/api/v1/health"));
    } finally {
      agent.destroy();
      agent.waitFor(60, TimeUnit.SECONDS);
      AgentProcess.killQuietly(agent);
    }
  }

  private static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void portInUse_failsWithOneLineNamingPortAndConfigKey(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      AgentProcess.writePort(home, port);
      AgentProcess.Result r = AgentProcess.exec(home, 60, "run");
      assertEquals(6, r.exit(), r.all());
      assertTrue(r.err().contains("port " + port + " on 127.0.0.1 is already in use; change api.port in "
          + home.resolve("config/agent.json")), r.all());
      assertNoStackTrace(r.all());
      assertFalse(Files.exists(home.resolve("run/agent.pid")), "pid file left behind after failed start");
    }
  }

  @Test
  void aRecoveryPublicKeyThatIsNotThere_stopsTheStartNamingTheSetting(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writeConfig(home, new JsonObject().put("api", new JsonObject().put("port", AgentProcess.freePort()))
        .put("encryptionRecovery", new JsonObject().put("publicKeyFile", "config/recovery-public.pem")));
    AgentProcess.Result r = AgentProcess.exec(home, 60, "run");
    assertEquals(5, r.exit(), r.all());
    assertTrue(r.err().contains("encryptionRecovery.publicKeyFile: recovery key file "
        + home.resolve("config/recovery-public.pem") + " does not exist"), r.all());
    assertNoStackTrace(r.all());
  }

  @Test
  void invalidConfigValue_failsNamingTheKey(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writeConfig(home, new JsonObject().put("api", new JsonObject().put("port", 70000)));
    AgentProcess.Result r = AgentProcess.exec(home, 60, "run");
    assertEquals(5, r.exit(), r.all());
    assertTrue(r.err().contains("api.port must be between 1 and 65535, got 70000"), r.all());
    assertNoStackTrace(r.all());
  }

  @Test
  void verticlesJsonWithUnknownClass_failsWithOneLineNamingTheEntry(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writePort(home, AgentProcess.freePort());
    Path plan = dir.resolve("verticles.json");
    Files.writeString(plan, "{\"roles\":{\"all\":[{\"name\":\"api\",\"class\":\"au.com.backup247.NoSuchVerticle\"}]}}");
    AgentProcess.Result r = AgentProcess.exec(home, 60, "run", "--verticles", plan.toString());
    assertEquals(5, r.exit(), r.all());
    assertEquals("b247: verticles.json: roles.all entry \"api\": class au.com.backup247.NoSuchVerticle not found",
        r.err().strip());
    assertNoStackTrace(r.all());
  }

  @Test
  void verticlesJsonThatIsNotJson_failsWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writePort(home, AgentProcess.freePort());
    Path plan = dir.resolve("verticles.json");
    Files.writeString(plan, "{\"roles\": {");
    AgentProcess.Result r = AgentProcess.exec(home, 60, "run", "--verticles", plan.toString());
    assertEquals(5, r.exit(), r.all());
    assertEquals(1, r.err().strip().lines().count(), r.all());
    assertTrue(r.err().startsWith("b247: " + plan + ": not valid JSON"), r.all());
  }

  @Test
  void version_andHelp_workOnEveryCommand(@TempDir Path dir) throws Exception {
    AgentProcess.Result v = AgentProcess.exec(dir, 30, "--version");
    assertEquals(0, v.exit());
    assertTrue(v.out().startsWith("B247 Agent "), v.out());
    for (String cmd : new String[] {"run", "start", "stop", "status", "info"}) {
      AgentProcess.Result h = AgentProcess.exec(dir, 30, cmd, "--help");
      assertEquals(0, h.exit(), cmd + ": " + h.all());
      assertTrue(h.out().contains("Usage: b247 " + cmd), h.out());
    }
    AgentProcess.Result bad = AgentProcess.exec(dir, 30, "--no-such-option");
    assertEquals(2, bad.exit());
  }

  private static String uncheckedOut(Path home) {
    try {
      return AgentProcess.out(home, "agent");
    } catch (Exception e) {
      return "";
    }
  }
}
