package au.com.backup247.agent.it;

import static au.com.backup247.agent.it.AgentProcess.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code b247 start | status | info | stop}: the agent as a background daemon. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DaemonIT {
  private static final Pattern STARTED = Pattern.compile("started \\(pid (\\d+)\\)");

  @Test
  void start_status_info_stop(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    AgentProcess.writePort(home, port);
    long pid = -1;
    try {
      AgentProcess.Result start = AgentProcess.exec(home, 90, "start");
      assertEquals(0, start.exit(), start.all());
      pid = pid(start.out());
      assertTrue(start.out().contains("API and console at http://127.0.0.1:" + port + "/"), start.out());

      AgentProcess.Result again = AgentProcess.exec(home, 30, "start");
      assertEquals(4, again.exit(), again.all());
      assertTrue(again.err().contains("already running (pid " + pid + ")"), again.all());

      AgentProcess.Result status = AgentProcess.exec(home, 30, "status");
      assertEquals(0, status.exit(), status.all());
      assertTrue(status.out().matches("(?s)running \\(pid " + pid + "\\), version \\S+, uptime \\d\\d:\\d\\d:\\d\\d, API "
          + "http://127\\.0\\.0\\.1:" + port + "/\nno backup sets yet: b247 set create .*"), status.out());

      AgentProcess.Result info = AgentProcess.exec(home, 30, "info");
      assertEquals(0, info.exit(), info.all());
      JsonObject api = new JsonObject(AgentProcess.get(home, port, "/api/v1/info").body());
      Map<String, String> table = table(info.out());
      String nproc = AgentProcess.shell(10, "nproc").out().strip();
      assertEquals(nproc, table.get("Number of Processors"));
      assertEquals(nproc, api.getInteger("processors").toString());
      assertEquals(api.getString("version"), table.get("Version"));
      assertEquals(api.getJsonObject("os").getString("arch"), table.get("Architecture"));
      assertEquals(api.getJsonObject("os").getString("name") + " Version " + api.getJsonObject("os").getString("version"),
          table.get("Operating System"));
      JsonObject jvm = api.getJsonObject("jvm");
      assertEquals(jvm.getString("name") + " Version " + jvm.getString("version") + " " + jvm.getString("vendor"),
          table.get("Virtual Machine Vendor"));
      long maxKb = api.getJsonObject("heap").getLong("maxBytes") / 1024;
      assertTrue(table.get("Heap Size").endsWith(String.format("%,d kbytes (Maximum)", maxKb)), table.get("Heap Size"));
      long totalKb = api.getJsonObject("memory").getLong("physicalTotalBytes") / 1024;
      assertTrue(table.get("Physical Memory").endsWith(String.format("%,d kbytes (Total)", totalKb)));
      assertEquals("http://127.0.0.1:" + port + "/", table.get("API"));
      assertEquals(13, table.size(), info.out());

      AgentProcess.Result stop = AgentProcess.exec(home, 90, "stop");
      assertEquals(0, stop.exit(), stop.all());
      assertEquals("stopped (pid " + pid + ")", stop.out().strip());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process left behind");
      assertTrue(Files.readString(home.resolve("logs/agent.log")).contains("stopped cleanly"));

      AgentProcess.Result after = AgentProcess.exec(home, 30, "status");
      assertEquals(3, after.exit(), after.all());
      assertEquals("not running", after.out().strip());
      AgentProcess.Result stopAgain = AgentProcess.exec(home, 30, "stop");
      assertEquals(3, stopAgain.exit());
      AgentProcess.Result infoDown = AgentProcess.exec(home, 30, "info");
      assertEquals(3, infoDown.exit());
      assertTrue(infoDown.err().contains("not running"), infoDown.all());
      assertNoStackTrace(infoDown.all());
    } finally {
      AgentProcess.killQuietly(pid);
    }
  }

  @Test
  void daemon_survivesItsTerminalClosing_andSighup(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    AgentProcess.writePort(home, port);
    long pid = -1;
    try {
      // `script` gives `b247 start` a real pseudo-terminal that is closed when it returns
      String cmd = String.join(" ", AgentProcess.command(home, "start").stream().map(DaemonIT::quote).toList());
      AgentProcess.Result r = AgentProcess.shell(120, "script", "-q", "-e", "-c", cmd, "/dev/null");
      assertEquals(0, r.exit(), r.all());
      pid = pid(r.out());
      // No window to wait out: the daemon has no controlling terminal (its own session), so the closing one
      // sends it nothing, and it ignores SIGHUP, which the kernel then drops when it is sent. Both are read
      // from /proc; a JVM that handles HUP itself (its default) shows it as caught, not ignored.
      assertEquals(0, controllingTerminal(pid), "daemon kept the terminal that started it");
      assertTrue(ignoresHangup(pid), "daemon does not ignore SIGHUP");
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon died with its terminal");
      AgentProcess.signal(pid, "HUP");
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon died of SIGHUP");
      assertEquals(200, AgentProcess.get(port, "/api/v1/health").statusCode());
      AgentProcess.Result stop = AgentProcess.exec(home, 90, "stop");
      assertEquals(0, stop.exit(), stop.all());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    } finally {
      AgentProcess.killQuietly(pid);
    }
  }

  @Test
  void stop_givesUpWithClearMessage_whenAgentDoesNotStopInTime(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writePort(home, AgentProcess.freePort());
    long pid = -1;
    try {
      AgentProcess.Result start = AgentProcess.exec(home, 90, "start");
      assertEquals(0, start.exit(), start.all());
      pid = pid(start.out());
      AgentProcess.signal(pid, "STOP"); // frozen: it cannot act on SIGTERM until continued
      AgentProcess.Result stop = AgentProcess.exec(home, 30, "stop", "--timeout", "2");
      assertEquals(7, stop.exit(), stop.all());
      assertTrue(stop.err().contains("the agent (pid " + pid + ") did not stop within 2 s and is still running"),
          stop.all());
      assertNoStackTrace(stop.all());
      AgentProcess.signal(pid, "CONT"); // the pending SIGTERM is delivered now
      long p = pid;
      AgentProcess.await("the agent to finish stopping", 60,
          () -> !ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
      assertEquals(3, AgentProcess.exec(home, 30, "status").exit());
    } finally {
      AgentProcess.killQuietly(pid); // SIGKILL works on a stopped process too
    }
  }

  @Test
  void start_reportsWhyTheAgentCouldNotStart(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writeConfig(home, new JsonObject().put("logging", new JsonObject().put("level", "LOUD")));
    AgentProcess.Result r = AgentProcess.exec(home, 90, "start");
    assertEquals(5, r.exit(), r.all());
    assertTrue(r.err().contains("logging.level must be one of"), r.all());
    assertNoStackTrace(r.all());
  }

  private static long pid(String out) {
    Matcher m = STARTED.matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  private static Map<String, String> table(String out) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : out.strip().split("\n")) {
      String[] kv = line.split("\\s{2,}", 2);
      rows.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
    }
    return rows;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Whether process {@code pid} ignores SIGHUP (signal 1: bit 0 of SigIgn in /proc/PID/status). */
  private static boolean ignoresHangup(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 1L) != 0;
      }
    }
    throw new AssertionError("no SigIgn line in /proc/" + pid + "/status");
  }

  /** The controlling terminal of process {@code pid} (tty_nr in /proc/PID/stat), 0 for none. */
  private static int controllingTerminal(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // after "pid (comm) ": state ppid pgrp session tty_nr ...; comm may hold spaces, so split after the ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(f[4]);
  }
}
