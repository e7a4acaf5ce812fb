package au.com.backup247.agent.it;

import static au.com.backup247.agent.it.RepoCliIT.assertIdentical;
import static au.com.backup247.agent.it.RepoCliIT.b247;
import static au.com.backup247.agent.it.RepoCliIT.restored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety (TEST-MATRIX R1–R6): a backup in a child JVM is killed at labelled crash points and
 * at random moments; every earlier job must still restore byte-identical, {@code check --read-data}
 * must pass, and the next backup must succeed and reuse the blocks already written.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RepoCrashIT {
  private static final Pattern STORED = Pattern.compile("(\\d+) stored");

  private Path key;
  private Path repo;
  private Path src;
  private Path dir;

  private AgentProcess.Result backup(Map<String, String> env) throws Exception {
    return RepoCliIT.b247WithTestHooks(dir, env, "repo", "backup", "--repo", repo.toString(), "--key-file",
        key.toString(), src.toString());
  }

  private void setUp(Path tmp) throws Exception {
    dir = tmp;
    src = dir.resolve("src");
    RepoCliIT.tree(src, 11);
    key = dir.resolve("pw");
    Files.writeString(key, "crash test password\n");
    repo = dir.resolve("repo");
    List<String> init = new ArrayList<>(List.of("repo", "init", "--repo", repo.toString(), "--key-file",
        key.toString(), "--pack-size", "1"));
    init.addAll(List.of(RepoCliIT.FAST_KDF));
    assertEquals(0, b247(dir, init.toArray(String[]::new)).exit());
    assertEquals(0, backup(Map.of()).exit());
    Files.createDirectories(dir.resolve("first"));
    assertEquals(0, AgentProcess.shell(60, "cp", "-a", src.toString(), dir.resolve("first/src").toString()).exit());
    // new data for the jobs that will be interrupted: several 1 MiB blocks' worth
    byte[] more = new byte[5 << 20];
    new Random(5).nextBytes(more);
    Files.write(src.resolve("a/more.bin"), more);
    Files.writeString(src.resolve("a/notes.txt"), "changed after job 1");
  }

  private String firstJob() throws Exception {
    String jobs = b247(dir, "repo", "jobs", "--repo", repo.toString(), "--key-file", key.toString()).out();
    return jobs.strip().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
  }

  private void assertEarlierJobIntact(String job, String label) throws Exception {
    AgentProcess.Result check = b247(dir, "repo", "check", "--read-data", "--repo", repo.toString(), "--key-file",
        key.toString());
    assertEquals(0, check.exit(), label + ": " + check.all());
    Path out = dir.resolve("restore-" + label.replace(':', '-'));
    AgentProcess.Result r = b247(dir, "repo", "restore", "--repo", repo.toString(), "--key-file", key.toString(),
        "--job", job, "--target", out.toString());
    assertEquals(0, r.exit(), label + ": " + r.all());
    assertIdentical(dir.resolve("first/src"), restored(out, src));
  }

  @Test
  void killAtEveryCrashPoint_keepsEarlierJobs_andTheNextBackupReusesWrittenBlocks(@TempDir Path tmp)
      throws Exception {
    setUp(tmp);
    String job1 = firstJob();
    for (String label : new String[] {"before-block-write:1", "after-block-write:2", "before-index", "after-index",
        "before-manifest"}) {
      AgentProcess.Result crashed = backup(Map.of("B247_CRASH_AT", label));
      assertEquals(137, crashed.exit(), label + ": " + crashed.all());
      assertEarlierJobIntact(job1, label);
    }
    AgentProcess.Result next = backup(Map.of());
    assertEquals(0, next.exit(), next.all());
    Matcher m = STORED.matcher(next.out());
    assertTrue(m.find(), next.out());
    assertEquals(0, Long.parseLong(m.group(1)), "the blocks of the interrupted jobs should be reused: " + next.out());
    Path out = dir.resolve("latest");
    assertEquals(0, b247(dir, "repo", "restore", "--repo", repo.toString(), "--key-file", key.toString(), "--target",
        out.toString()).exit());
    assertIdentical(src, restored(out, src));
    assertEquals(0, b247(dir, "repo", "check", "--read-data", "--repo", repo.toString(), "--key-file",
        key.toString()).exit());
  }

  /**
   * Issue 11, item 11: the crash points are a test-build hook. The packaged jar ignores
   * B247_CRASH_AT (and b247.crashAt): the backup runs to the end.
   */
  @Test
  void packagedJar_ignoresTheCrashHook(@TempDir Path tmp) throws Exception {
    setUp(tmp);
    AgentProcess.Result r = b247(dir, Map.of("B247_CRASH_AT", "before-manifest"), "repo", "backup", "--repo",
        repo.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(0, r.exit(), r.all());
    AgentProcess.Result p = b247(dir, "repo", "jobs", "--repo", repo.toString(), "--key-file", key.toString());
    assertEquals(3, p.out().strip().lines().count(), "two jobs expected: " + p.all());
  }

  @Test
  void killAtRandomMoments_neverCorruptsTheRepository(@TempDir Path tmp) throws Exception {
    setUp(tmp);
    String job1 = firstJob();
    Random r = new Random(20261126);
    int killedMidway = 0;
    for (int i = 0; i < 3; i++) {
      byte[] fresh = new byte[40 << 20]; // new data each round, so the kill lands while there is work
      r.nextBytes(fresh);
      Files.write(src.resolve("a/fresh-" + i + ".bin"), fresh);
      // at 16 MiB/s the 40 MiB take at least 2.3 s to upload, so the backup outlasts the latest kill
      // moment (1.6 s after the start) however fast the machine
      List<String> cmd = AgentProcess.javaJar("repo", "backup", "--repo", repo.toString(), "--key-file",
          key.toString(), "--bandwidth", "16MiB/s", src.toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("random-" + i + ".out").toFile()).start();
      Thread.sleep(400 + r.nextInt(1200)); // a random moment of the backup to kill it at: the scenario
      p.destroyForcibly(); // SIGKILL, as kill -9 (harmless if the backup already finished)
      p.waitFor(30, TimeUnit.SECONDS);
      if (p.exitValue() != 0) {
        killedMidway++;
      }
      assertEarlierJobIntact(job1, "random-" + i);
    }
    assertTrue(killedMidway >= 1, "no kill landed while a backup was running");
    AgentProcess.Result next = backup(Map.of());
    assertEquals(0, next.exit(), next.all());
    Path out = dir.resolve("latest");
    assertEquals(0, b247(dir, "repo", "restore", "--repo", repo.toString(), "--key-file", key.toString(), "--target",
        out.toString()).exit());
    assertIdentical(src, restored(out, src));
  }

  /** TEST-MATRIX R5: a restore killed midway leaves no half-written file under its final name. */
  /**
   * TEST-MATRIX R5: a restore killed (-9) while it writes a file, into a target that already holds
   * an older version of it, leaves under each final name either the old or the new whole file,
   * never part of one; the rerun completes and removes the killed runs' temp files.
   */
  @Test
  void killedRestore_leavesOnlyWholeFiles_andARerunCompletes(@TempDir Path tmp) throws Exception {
    setUp(tmp);
    Random r = new Random(7);
    for (int i = 0; i < 4; i++) {
      byte[] big = new byte[30 << 20];
      r.nextBytes(big);
      Files.write(src.resolve("a/big-" + i + ".bin"), big);
    }
    assertEquals(0, backup(Map.of()).exit());
    Path target = dir.resolve("target");
    Path restoredSrc = restored(target, src);
    Files.createDirectories(restoredSrc.resolve("a"));
    byte[] old = "an older version, already in the target".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < 4; i++) {
      Files.write(restoredSrc.resolve("a/big-" + i + ".bin"), old);
    }
    int killedMidFile = 0;
    for (int round = 0; round < 3; round++) {
      // 30 MiB files read at 64 MiB/s: each is written for about half a second, however fast the machine,
      // so the look below finds one being written
      List<String> cmd = AgentProcess.javaJar("repo", "restore", "--repo", repo.toString(), "--key-file",
          key.toString(), "--bandwidth", "64MiB/s", "--target", target.toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("restore-" + round + ".out").toFile()).start();
      boolean midFile = false;
      while (p.isAlive() && !(midFile = writingATempFile(target))) {
        Thread.sleep(5); // polls for the moment the restore is inside a file
      }
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      if (midFile) {
        killedMidFile++;
      }
      try (var walk = Files.walk(restoredSrc)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          if (f.getFileName().toString().startsWith(".b247tmp-")) {
            continue; // a temp file of the killed run: never under a final name
          }
          byte[] now = Files.readAllBytes(f);
          byte[] original = Files.readAllBytes(src.resolve(restoredSrc.relativize(f).toString()));
          assertTrue(java.util.Arrays.equals(original, now) || java.util.Arrays.equals(old, now),
              "half-written file under its final name: " + f + " (" + now.length + " bytes)");
        }
      }
    }
    assertTrue(killedMidFile >= 1, "no kill landed while the restore was writing a file");
    AgentProcess.Result rerun = b247(dir, "repo", "restore", "--repo", repo.toString(), "--key-file",
        key.toString(), "--target", target.toString());
    assertEquals(0, rerun.exit(), rerun.all());
    AgentProcess.Result diff = AgentProcess.shell(60, "diff", "-r", "--no-dereference", src.toString(),
        restoredSrc.toString()); // also: the killed runs' temp files were cleaned up
    assertEquals(0, diff.exit(), diff.all());
  }

  /** True once a restore temp file with data in it exists under {@code target}. */
  private static boolean writingATempFile(Path target) throws java.io.IOException {
    if (!Files.isDirectory(target)) {
      return false;
    }
    try (var walk = Files.walk(target)) {
      return walk.anyMatch(f -> {
        try {
          return f.getFileName().toString().startsWith(".b247tmp-") && Files.size(f) > 0;
        } catch (java.io.IOException gone) {
          return false; // renamed into place meanwhile
        }
      });
    } catch (java.io.UncheckedIOException raced) {
      return false;
    }
  }
}
