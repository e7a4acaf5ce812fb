package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import au.com.backup247.agent.scheduler.SchedulerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's end-to-end flow, driven only through the REST API (plus the scheduler's injected clock):
 * a set with two destinations — a local folder and an SFTP server (embedded Apache MINA SSHD on
 * loopback, key login, credentials stored in the agent home) — and an hourly schedule runs three
 * times while files change; the reports and their logs are checked; a retention policy is applied
 * (Space Freeing Up); a restore "as of" the second job from each destination equals the files as
 * they were then, byte for byte.
 */
@ExtendWith(VertxExtension.class)
class AgentFlowTest {

  /** A copy with modes and modification times, to compare a restore with later. */
  static void copyTree(Path from, Path to) throws Exception {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    for (Path p : all) {
      Path t = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(t);
      } else {
        Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    for (int i = all.size() - 1; i >= 0; i--) { // deepest first: copying into folders moved their times
      Path p = all.get(i);
      Path t = to.resolve(from.relativize(p).toString());
      Files.setPosixFilePermissions(t, Files.getPosixFilePermissions(p));
      Files.setLastModifiedTime(t, Files.getLastModifiedTime(p));
    }
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void scheduledBackupsToTwoDestinations_reports_retention_andRestoreAsOfTheSecondJob(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    JobsHarness h = new JobsHarness(vertx, home, true);
    SchedulerVerticle scheduler = new SchedulerVerticle(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    vertx.deployVerticle(scheduler, new DeploymentOptions()
        .setConfig(new JsonObject().put("timeZone", "UTC").put("intervalMs", 0))).await();

    // the SFTP destination: a real server; its credentials are stored for the set through the API
    KeyPair hostKey = SshPeers.ed25519();
    KeyPair userKey = SshPeers.ed25519();
    Path served = Files.createDirectories(dir.resolve("sftp-root"));
    SshServer sftp = SshPeers.mina(0, served, hostKey, userKey.getPublic());
    try {
      Path identity = SshPeers.writePrivateKey(userKey, dir.resolve("id_ed25519"), null);

      Path src = Files.createDirectories(dir.resolve("src/docs"));
      Files.writeString(src.resolve("a.txt"), "one");
      Files.write(src.resolve("big.bin"), RepoFixture.bytes(new Random(1), 2 << 20));
      Files.writeString(src.resolve("x.txt"), "x, deleted before the second job");

      Path local = dir.resolve("local-dest");
      JsonObject set = JobsHarness.set("Flow", src, List.of(local));
      set.getJsonArray("destinations").add(new JsonObject().put("name", "Office")
          .put("url", "sftp://" + SshPeers.USER + "@127.0.0.1:" + sftp.getPort() + "/b247"));
      set.put("scheduleEnabled", true).put("schedules", new JsonArray().add(new JsonObject().put("name", "Hourly")
          .put("type", "daily").put("every", "1h")));
      set.put("retention", new JsonObject().put("type", "simple").put("keepJobs", 1));
      long setId = h.create(set); // created at 2023-11-14T22:13:20Z
      HttpResponse<Buffer> stored = h.put("sets/" + setId + "/destinations/Office/credentials", new JsonObject()
          .put("identity-key", Files.readString(identity))
          .put("host-key-fingerprint", SftpStore.fingerprint(hostKey.getPublic())));
      assertEquals(200, stored.statusCode(), stored.bodyAsString());

      // three hourly firings, files changing in between
      Path asOfSecond = dir.resolve("as-of-second");
      String[] ticks = {"2023-11-14T23:00:30Z", "2023-11-15T00:00:30Z", "2023-11-15T01:00:30Z"};
      for (int run = 0; run < 3; run++) {
        if (run == 1) {
          Files.writeString(src.resolve("a.txt"), "two");
          Files.writeString(src.resolve("b.txt"), "new in the second job");
          Files.delete(src.resolve("x.txt"));
        } else if (run == 2) {
          copyTree(src, asOfSecond);
          Files.writeString(src.resolve("a.txt"), "three");
          Files.write(src.resolve("big.bin"), RepoFixture.bytes(new Random(3), 2 << 20));
        }
        scheduler.tick(Instant.parse(ticks[run])).await();
        h.awaitReports(setId, 2 * (run + 1));
      }

      // reports: one per job and destination, all completed by the schedule, with their logs
      JsonArray reports = h.reports(setId);
      assertEquals(6, reports.size(), reports.encodePrettily());
      for (Object o : reports) {
        JsonObject r = (JsonObject) o;
        assertEquals("Completed", r.getString("status"), r.encodePrettily());
        assertEquals("schedule", r.getString("trigger"), r.encodePrettily());
        assertEquals("Hourly", r.getString("scheduleName"), r.encodePrettily());
      }
      HttpResponse<Buffer> office = h.get("jobs?setId=" + setId + "&destination=Office");
      assertEquals(3, office.bodyAsJsonObject().getJsonArray("items").size(), office.bodyAsString());
      JsonObject first = h.get("jobs/" + reports.getJsonObject(reports.size() - 1).getLong("id")).bodyAsJsonObject();
      assertTrue(first.getJsonObject("stats").getLong("filesNew") >= 3, first.encodePrettily()); // a, big, x, folders
      JsonObject second = h.get("jobs/" + reports.getJsonObject(reports.size() - 3).getLong("id")).bodyAsJsonObject();
      JsonObject stats2 = second.getJsonObject("stats");
      // b.txt new, x.txt deleted, a.txt changed (and its folder, whose modification time moved)
      assertEquals(List.of(1L, 1L), List.of(stats2.getLong("filesNew"), stats2.getLong("filesDeleted")),
          second.encodePrettily());
      assertTrue(stats2.getLong("filesChanged") >= 1, second.encodePrettily());
      assertFalse(first.getJsonArray("log").isEmpty(), first.encodePrettily());
      JsonObject onlyErrors = h.get("jobs/" + first.getLong("id") + "?level=error").bodyAsJsonObject();
      assertTrue(onlyErrors.getJsonArray("log").isEmpty(), onlyErrors.encodePrettily());

      // retention (keep superseded and deleted versions for 1 job): the first job's old versions go,
      // every version the second job saw stays (they ended with the third, the newest, job)
      HttpResponse<Buffer> free = h.post("sets/" + setId + "/space-freeing", new JsonObject());
      assertEquals(202, free.statusCode(), free.bodyAsString());
      for (Object o : free.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("jobs")) {
        JsonObject rep = h.awaitStatus(((JsonObject) o).getLong("id"), "Completed");
        assertEquals(2, rep.getJsonObject("stats").getInteger("versionsRemoved"), rep.encodePrettily()); // a "one", x
      }

      // restore as of the second job, from each destination
      for (String destination : List.of("Local-1", "Office")) {
        JsonArray points = h.get("sets/" + setId + "/restore-points?destination=" + destination).bodyAsJsonObject()
            .getJsonArray("items");
        assertEquals(3, points.size(), points.encodePrettily());
        List<String> jobs = points.stream().map(p -> ((JsonObject) p).getString("job")).sorted().toList();
        Path target = dir.resolve("restored-" + destination);
        HttpResponse<Buffer> r = h.post("sets/" + setId + "/restore", new JsonObject().put("destination", destination)
            .put("job", jobs.get(1)).put("target", target.toString()).put("verifyChecksums", true));
        assertEquals(202, r.statusCode(), r.bodyAsString());
        JsonObject report = h.awaitStatus(r.bodyAsJsonObject().getLong("reportId"), "Completed");
        assertEquals("restore", report.getString("trigger"), report.encodePrettily());
        RepoFixture.assertSameTree(asOfSecond, RepoFixture.under(target, src));
      }
    } finally {
      sftp.stop(true);
    }
  }
}
