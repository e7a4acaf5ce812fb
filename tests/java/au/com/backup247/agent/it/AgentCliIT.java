package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's CLI against a real running agent, each command its own process: {@code b247 set},
 * {@code backup}, {@code report} (and its alias {@code jobs}), {@code browse}, {@code search} and
 * {@code restore}, ending with a byte-for-byte comparison of the restored tree.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class AgentCliIT {

  private static JsonObject set(String name, Path src, Path dest) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1").put("url", "file://" + dest)))
        .put("others", new JsonObject().put("followLinks", false));
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
    return m.group(1);
  }

  @Test
  void setBackupReportBrowseSearchRestore_throughTheCli(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 11);
    Path setFile = dir.resolve("set.json");
    Files.writeString(setFile, set("Docs", src, dir.resolve("d1")).encodePrettily(), StandardCharsets.UTF_8);
    try (RunningAgent agent = RunningAgent.start(dir.resolve("home"), AgentProcess.freePort(), "agent")) {
      // set create / list / show / update / rename / key
      String created = agent.ok("set", "create", "--file", setFile.toString());
      String id = group(created, "created backup set \"Docs\" \\(id ([0-9]+)\\)");
      String key = group(created, "shown only now[^\n]*\n\\s+(\\S+)");
      assertTrue(agent.ok("set", "list").lines().anyMatch(l -> l.startsWith(id) && l.contains("Docs")));
      JsonObject shown = new JsonObject(agent.ok("set", "show", id));
      assertEquals("Docs", shown.getString("name"));
      assertFalse(shown.encode().contains(key), "set show never prints the key");
      Path bad = dir.resolve("bad.json");
      Files.writeString(bad, set("Docs", src, dir.resolve("d1")).put("schedules", new JsonArray()
          .add(new JsonObject().put("name", "S").put("type", "daily").put("every", "13m"))).encode());
      AgentProcess.Result invalid = agent.b247("set", "update", id, "--file", bad.toString());
      assertEquals(2, invalid.exit(), invalid.all());
      assertTrue(invalid.err().contains("schedules[0].every"), invalid.all());
      AgentProcess.assertNoStackTrace(invalid.all());
      Files.writeString(setFile, set("Docs", src, dir.resolve("d1")).put("source", new JsonObject()
          .put("home", src.toString()).put("paths", new JsonArray().add(src.toString()))
          .put("excludedPaths", new JsonArray().add(src.resolve("empty-folder").toString()))).encode());
      assertTrue(agent.ok("set", "update", id, "--file", setFile.toString()).contains("updated backup set \"Docs\""));
      assertTrue(agent.ok("set", "rename", id, "Documents").contains("renamed to backup set \"Documents\""));
      assertEquals(key, agent.ok("set", "key", id).strip());

      // set credentials: a properties file (its identity-file sent as the key itself), shown only as "stored"
      Path remoteFile = dir.resolve("remote.json");
      JsonObject remote = set("Remote", src, dir.resolve("d2"));
      remote.getJsonArray("destinations").add(new JsonObject().put("name", "Office NAS")
          .put("url", "sftp://backup@127.0.0.1:1/b247"));
      Files.writeString(remoteFile, remote.encode());
      String remoteId = group(agent.ok("set", "create", "--file", remoteFile.toString(), "--no-test"),
          "\\(id ([0-9]+)\\)");
      Path identity = Files.writeString(dir.resolve("id_test"), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"
          + "-----END OPENSSH PRIVATE KEY-----\n");
      Path creds = Files.writeString(dir.resolve("nas.properties"), "identity-file=id_test\nidentity-passphrase=pp\n");
      Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-r--r--"));
      AgentProcess.Result open = agent.b247("set", "credentials", remoteId, "--destination", "Office NAS", "--file",
          creds.toString());
      assertEquals(2, open.exit(), open.all());
      assertTrue(open.err().contains("chmod 600 " + creds), open.all());
      Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
      assertTrue(agent.ok("set", "credentials", remoteId, "--destination", "Office NAS", "--file", creds.toString(),
          "--no-test")
          .contains("stored the credentials of destination \"Office NAS\""));
      String remoteShown = agent.ok("set", "show", remoteId);
      assertTrue(remoteShown.contains("\"credentials\" : \"stored\""), remoteShown);
      assertFalse(remoteShown.contains("AAAA") || remoteShown.contains("pp\""), remoteShown);
      assertTrue(Files.readString(agent.home.resolve("credentials/" + remoteId).resolve(Files.list(agent.home
          .resolve("credentials/" + remoteId)).filter(p -> p.toString().endsWith(".identity")).findFirst()
          .orElseThrow())).contains("AAAA"));
      AgentProcess.Result wrongKey = agent.b247("set", "credentials", remoteId, "--destination", "Local-1", "--file",
          creds.toString());
      assertEquals(2, wrongKey.exit(), wrongKey.all());
      assertTrue(wrongKey.err().contains("local folder"), wrongKey.all());
      assertTrue(agent.ok("set", "credentials", remoteId, "--destination", "office nas", "--delete")
          .contains("removed the credentials of destination \"Office NAS\""));
      assertFalse(agent.ok("set", "show", remoteId).contains("stored"));

      // names work wherever a set is taken (ignoring case); a set with one destination needs no --destination
      AgentProcess.Result unknown = agent.b247("backup", "No such set");
      assertEquals(1, unknown.exit(), unknown.all());
      assertTrue(unknown.err().contains("no backup set named \"No such set\""), unknown.all());
      AgentProcess.Result twoDestinations = agent.b247("browse", "remote");
      assertEquals(2, twoDestinations.exit(), twoDestinations.all());
      assertTrue(twoDestinations.err().contains("has 2 destinations (Local-1, Office NAS): choose one with --destination"),
          twoDestinations.all());

      assertTrue(agent.ok("set", "rename", remoteId, id).contains("renamed to backup set \"" + id + "\""));
      AgentProcess.Result both = agent.b247("set", "show", id);
      assertEquals(2, both.exit(), both.all());
      assertTrue(both.err().contains("\"" + id + "\" is both the id of backup set \"Documents\" (id " + id
          + ") and the name of backup set \"" + id + "\" (id " + remoteId + "); use \"Documents\" or " + remoteId),
          both.all());
      agent.ok("set", "rename", remoteId, "Remote");

      // backup --wait
      String backup = agent.ok("backup", "documents", "--wait");
      assertTrue(backup.contains("backup of set \"Documents\" (id " + id + ") started"), backup);
      assertTrue(backup.contains("Local-1: Completed (report "), backup);
      String reportId = group(backup, "Local-1: Completed \\(report ([0-9]+)\\)");

      // space freeing: the set keeps old versions 7 days (the default), so nothing goes yet, but the run
      // is made and reported per destination
      String freed = agent.ok("free-space", id, "--wait");
      assertTrue(freed.contains("Local-1: Completed (report ") && freed.contains(": 0 version(s) removed"), freed);
      assertTrue(agent.ok("report", "list", "--set", id, "--kind", "space-freeing").contains("Completed"));
      AgentProcess.Result noSet = agent.b247("free-space", "424242", "--wait");
      assertTrue(noSet.exit() != 0 && noSet.err().contains("424242"), noSet.all());

      // report list / show (and the jobs alias)
      String list = agent.ok("report", "list", "--set", "Documents");
      assertTrue(list.lines().anyMatch(l -> l.strip().startsWith(reportId + " ") && l.contains("Documents")
          && l.contains("Completed") && l.contains("manual")), list);
      assertTrue(agent.getJson("jobs/" + reportId).getString("setName").equals("Documents"), "the API names the set");
      assertEquals("no reports", agent.ok("report", "list", "--set", id, "--kind", "restore").strip());
      assertEquals("no reports", agent.ok("report", "list", "--set", id, "--status", "Failed").strip());
      assertEquals("no reports", agent.ok("report", "list", "--set", id, "--from", "2999-01-01").strip());
      assertTrue(agent.ok("report", "list", "--set", id, "--destination", "Local-1", "--from", "2000-01-01",
          "--to", "2999-12-31", "--kind", "backup").contains(reportId + "  Documents "));
      assertTrue(agent.ok("jobs", "--set", id).contains(reportId + "  Documents "), "jobs is an alias");
      String show = agent.ok("report", "show", reportId);
      assertTrue(show.startsWith("report " + reportId + ": Completed"), show);
      assertTrue(show.contains("INFO  backup of set \"Documents\""), show);
      assertTrue(show.contains("set          \"Documents\" (id " + id + ")"), show);
      assertTrue(show.contains("filesNew"), show);
      String errors = agent.ok("report", "show", reportId, "--level", "error");
      assertTrue(errors.strip().endsWith("log (error lines):"), "no error lines: " + errors);
      AgentProcess.Result badLevel = agent.b247("report", "show", reportId, "--level", "debug");
      assertEquals(2, badLevel.exit(), badLevel.all());
      assertTrue(badLevel.err().contains("--level"), badLevel.all());
      AgentProcess.Result missing = agent.b247("report", "show", "999999");
      assertEquals(1, missing.exit(), missing.all());
      assertTrue(missing.err().contains("999999"), missing.all());

      // browse and search
      String browse = agent.ok("browse", "Documents", "--path", src.resolve("docs").toString());
      assertTrue(browse.contains("readme.txt") && browse.contains("deep"), browse);
      String search = agent.ok("search", "Documents", "--folder", src.toString(),
          "--mode", "ends-with", "--kind", "files", "--match-case", ".bin");
      List<String> found = search.lines().filter(l -> l.contains("(in ")).map(l -> group(l, "  (\\S+)  \\(in ")).sorted()
          .toList();
      assertEquals(List.of("big.bin", "random.bin", "small.bin"), found, search);
      assertTrue(search.contains("3 found in " + src), search);
      assertTrue(agent.ok("search", id, "--destination", "Local-1", "--folder", src.toString(), "--no-subfolders",
          "--mode", "ends-with", ".bin").contains("1 found"));
      AgentProcess.Result badMode = agent.b247("search", id, "--destination", "Local-1", "--mode", "like", "x");
      assertEquals(2, badMode.exit(), badMode.all());
      assertTrue(badMode.err().contains("mode"), badMode.all());

      // restore to an alternate folder: byte-identical (the excluded empty folder is not there)
      Path alt = dir.resolve("alt");
      String restore = agent.ok("restore", "Documents", "--target", alt.toString(), "--wait");
      assertTrue(restore.contains("Completed: "), restore);
      Files.delete(src.resolve("empty-folder"));
      RepoFixture.assertSameTree(src, RepoFixture.under(alt, src));
      String restores = agent.ok("report", "list", "--set", id, "--kind", "restore");
      assertEquals(1, restores.lines().filter(l -> l.contains("restore")).count(), restores);

      // delete
      assertTrue(agent.ok("set", "delete", id, "--yes").contains("deleted backup set \"Documents\""));
      AgentProcess.Result gone = agent.b247("set", "show", id);
      assertEquals(1, gone.exit(), gone.all());
      assertTrue(gone.err().contains(id), gone.all());
    }
  }
}
