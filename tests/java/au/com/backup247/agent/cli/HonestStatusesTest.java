package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Statuses that never lie", as a user sees them through the CLI: a backup with a missing
 * source is never "Completed" and {@code backup --wait} says so in its exit code; a restore of a
 * path that is not in the backup is refused, naming the path, and creates nothing; a search for
 * {@code *.txt} finds the .txt files.
 */
class HonestStatusesTest extends WithCliAgent {
  @BeforeAll
  static void sources() throws Exception {
    Files.writeString(src.resolve("notes.txt"), "notes");
    Files.writeString(src.resolve("NOTES2.TXT"), "more notes");
    Files.writeString(src.resolve("photo.jpg"), "jpeg");
  }

  @Test
  void aSetWhoseOnlySourceIsMissing_failsAndBacksUpNothing() throws Exception {
    Path missing = dir.resolve("not-mounted");
    String id = agent.createSet(dir, set("Missing", dir.resolve("d-missing"), missing));
    CliRun.Result backup = agent.b247("backup", id, "--wait");
    assertEquals(1, backup.exit(), backup.all());
    assertTrue(backup.out().contains("Local-1: Failed (report "), backup.all());
    String report = agent.ok("report", "show", CliAgent.group(backup.out(), "\\(report ([0-9]+)\\)"), "--level",
        "error");
    assertTrue(report.contains("nothing was backed up: the source folder " + missing + " does not exist"), report);
    assertTrue(agent.ok("browse", id, "--destination", "Local-1").contains("no restore points yet"),
        "no restore point was made");
  }

  @Test
  void aSetWithOneOfTwoSourcesMissing_completesWithWarningsAndExits9() throws Exception {
    Path missing = dir.resolve("src/gone");
    String id = agent.createSet(dir, set("Partly", dir.resolve("d-partly"), src, missing));
    CliRun.Result backup = agent.b247("backup", id, "--wait");
    assertEquals(JobOutcome.WITH_WARNINGS, backup.exit(), backup.all());
    assertTrue(backup.out().contains("Local-1: Completed with warning(s) (report "), backup.all());
    String report = agent.ok("report", "show", CliAgent.group(backup.out(), "\\(report ([0-9]+)\\)"));
    assertTrue(report.contains("ERROR the source folder " + missing + " does not exist: nothing was backed up from it"),
        report);
    assertTrue(agent.ok("search", id, "--destination", "Local-1", "notes").contains("2 found"), "the rest is there");
    assertTrue(agent.ok("report", "list", "--set", id, "--status", "Completed").contains("no reports"));
  }

  @Test
  void aRestoreOfAPathThatIsNotInTheBackup_isRefusedAndCreatesNothing() throws Exception {
    String id = agent.createSet(dir, set("Docs", dir.resolve("d-docs"), src));
    assertEquals(0, agent.b247("backup", id, "--wait").exit());
    Path target = dir.resolve("restored");
    CliRun.Result r = agent.b247("restore", id, "--destination", "Local-1", "--path", "/does/not/exist", "--target",
        target.toString(), "--wait");
    assertEquals(1, r.exit(), r.all());
    assertTrue(r.err().contains("path /does/not/exist is not in the backup as of job"), r.all());
    assertFalse(Files.exists(target), "nothing was created");
    CliRun.Result two = agent.b247("restore", id, "--destination", "Local-1", "--path", src.toString(), "--path",
        src + "/nope.txt", "--path", "/nope", "--target", target.toString());
    assertEquals(1, two.exit(), two.all());
    assertTrue(two.err().contains("paths " + src + "/nope.txt, /nope are not in the backup"), two.all());
    assertTrue(agent.ok("report", "list", "--set", id, "--kind", "restore").contains("no reports"),
        "a refused restore leaves no report");
    String ok = agent.ok("restore", id, "--destination", "Local-1", "--path", src + "/notes.txt", "--target",
        target.toString(), "--wait");
    assertTrue(ok.contains("Completed: 1 files"), ok);
  }

  @Test
  void anOfflineRestoreOfAPathThatIsNotInTheRepository_isRefusedAndCreatesNothing() throws Exception {
    Path repo = dir.resolve("offline-repo");
    RepoFixture.init(repo).close();
    try (var r = RepoFixture.open(repo)) {
      RepoFixture.backup(src, r);
    }
    Path key = Files.writeString(dir.resolve("offline-key"), RepoFixture.PASSWORD);
    Path target = dir.resolve("offline-restored");
    CliRun.Result r = CliRun.b247("repo", "restore", "--repo", repo.toString(), "--key-file", key.toString(),
        "--include", "/does/not/exist", "--target", target.toString());
    assertEquals(1, r.exit(), r.all());
    assertTrue(r.err().contains("path /does/not/exist is not in the backup as of job"), r.all());
    assertFalse(Files.exists(target), "nothing was created");
  }

  @Test
  void aSearchWithWildcards_isAGlobOverTheWholeName() throws Exception {
    String id = agent.createSet(dir, set("Search", dir.resolve("d-search"), src));
    assertEquals(0, agent.b247("backup", id, "--wait").exit());
    assertEquals(List.of("NOTES2.TXT", "notes.txt"), names(agent.ok("search", id, "--destination", "Local-1",
        "*.txt")));
    assertEquals(List.of("notes.txt"), names(agent.ok("search", id, "--destination", "Local-1", "--match-case",
        "*.txt")));
    assertEquals(List.of("NOTES2.TXT"), names(agent.ok("search", id, "--destination", "Local-1", "--mode", "glob",
        "notes?.txt")));
    assertEquals(List.of(), names(agent.ok("search", id, "--destination", "Local-1", "--mode", "ends-with", "*.txt")),
        "the other modes take * literally");
  }

  private static List<String> names(String out) {
    return out.lines().filter(l -> l.contains("(in ")).map(l -> CliAgent.group(l, "  (\\S+)  \\(in ")).sorted()
        .toList();
  }
}
