package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.assertSameTree;
import static au.com.backup247.agent.backup.RepoFixture.restore;
import static au.com.backup247.agent.backup.RepoFixture.under;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.IndexChain;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many jobs with small index parts: segments and checkpoints split into parts, checkpoints written
 * every {@link IndexChain#CHECKPOINT_EVERY_JOBS} jobs, every job restores exactly what the source
 * held, and the streamed state always equals a full replay of the segments.
 */
class CheckpointTest {

  /** Adds, changes, deletes and renames files and folders. */
  private static void mutate(Path src, Random r, int round) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(src)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      int x = r.nextInt(10);
      if (x == 0) {
        Files.delete(f);
      } else if (x == 1) {
        Files.writeString(f, "changed in round " + round + " " + r.nextLong());
      } else if (x == 2) {
        Files.move(f, f.resolveSibling(f.getFileName() + ".moved" + round));
      }
    }
    Path dir = src.resolve("round" + round + (round % 2 == 0 ? "" : ".odd"));
    Files.createDirectories(dir);
    for (int i = 0; i < 30; i++) {
      Files.writeString(dir.resolve("n" + i + (i % 3 == 0 ? ".txt" : "")), "new " + round + "/" + i + " " + r.nextInt());
    }
  }

  @Test
  void manyJobs_restoreExactly_andCheckpointsMatchTheSegments(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("a/b"));
    Files.createDirectories(src.resolve("a.b"));
    for (int i = 0; i < 120; i++) {
      Path d = src.resolve(i % 3 == 0 ? "a" : i % 3 == 1 ? "a/b" : "a.b");
      Files.writeString(d.resolve("file-" + i), "content " + i);
    }
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    repo.indexPartBytes(2048);
    Random r = new Random(42);
    List<Path> snapshots = new ArrayList<>();
    int jobs = IndexChain.CHECKPOINT_EVERY_JOBS + 3;
    for (int round = 0; round < jobs; round++) {
      if (round > 0) {
        mutate(src, r, round);
      }
      List<JobLog.Line> lines = new ArrayList<>();
      assertTrue(RepoFixture.backup(src, repo, lines).get(0).ok(), lines.toString());
      Path snap = dir.resolve("snap" + round);
      RepoFixture.copyTree(src, snap);
      snapshots.add(snap);
    }
    List<String> ids = repo.jobIds();
    assertEquals(jobs, ids.size());
    int checkpoints = 0;
    for (String id : ids) {
      Manifest m = repo.manifest(id);
      if (!m.checkpointRefs().isEmpty()) {
        checkpoints++;
      }
    }
    Manifest first = repo.manifest(ids.get(0));
    assertFalse(first.checkpointRefs().isEmpty(), "the first job writes a checkpoint");
    assertTrue(first.segmentRefs().size() > 1 && first.checkpointRefs().size() > 1, "small parts: several of each");
    assertTrue(checkpoints >= 2 && checkpoints < jobs, "periodic checkpoints, not every job: " + checkpoints);
    for (int i = 0; i < ids.size(); i++) {
      // the streamed state (checkpoint + later segments) equals a replay of every segment
      List<FileVersion> streamed = new ArrayList<>();
      IndexChain.of(repo, ids, ids.get(i)).state().drain(streamed::add);
      List<FileVersion> replayed = new ArrayList<>(History.load(repo, ids.get(i)).current().values());
      replayed.sort((a, b) -> au.com.backup247.agent.repo.index.PathOrder.compare(a.path(), b.path()));
      assertEquals(replayed, streamed, "state as of " + ids.get(i));
      Path target = dir.resolve("restore" + i);
      List<JobLog.Line> lines = new ArrayList<>();
      assertEquals(0, restore(repo, target, ids.get(i), false, lines).failed(), lines.toString());
      assertSameTree(snapshots.get(i), under(target, src));
    }
    Checker.Report rep = new Checker(repo).run(true);
    assertTrue(rep.ok(), rep.problems().toString());
  }

  @Test
  void damagedCheckpoint_isReportedByCheck_andStopsTheNextBackupLoudly(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < 50; i++) {
      Files.writeString(src.resolve("f" + i), "x" + i);
    }
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
    String first = repo.jobIds().get(0);
    assertTrue(Files.notExists(dir.resolve("repo/index/" + first + ".ckp")), "the first job's segment is its checkpoint");
    assertEquals(repo.manifest(first).segmentRefs(), repo.manifest(first).checkpointRefs());
    for (int i = 0; i < 1000; i++) { // 1,000 changes since the last checkpoint: the next job writes one
      Files.writeString(src.resolve("g" + i), "y" + i);
    }
    assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
    String job = repo.jobIds().get(1);
    Path ckp = dir.resolve("repo/index/" + job + ".ckp");
    assertTrue(Files.exists(ckp));
    assertTrue(new Checker(RepoFixture.open(dir.resolve("repo"))).run(true).ok());
    flipByteNearTheEnd(ckp);
    Checker.Report rep = new Checker(RepoFixture.open(dir.resolve("repo"))).run(false);
    assertFalse(rep.ok());
    assertTrue(rep.problems().get(0).contains(job + ".ckp"), rep.problems().toString());
    List<JobLog.Line> lines = new ArrayList<>();
    BackupResult res = RepoFixture.backup(src, RepoFixture.open(dir.resolve("repo")), lines).get(0);
    assertFalse(res.ok(), "a backup must not start from a damaged checkpoint");
    assertTrue(res.error().contains(job + ".ckp"), res.error());
  }

  /**
   * Three jobs: the first (its segment is its checkpoint), a second with 1,000 changes that writes a
   * checkpoint, a third with a few changes (a deletion among them) that writes none. Returns the source.
   */
  private static Path threeJobs(Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < 50; i++) {
      Files.writeString(src.resolve("f" + i), "x" + i);
    }
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
    for (int i = 0; i < 1000; i++) {
      Files.writeString(src.resolve("g" + i), "y" + i);
    }
    Files.delete(src.resolve("f0"));
    assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
    Files.writeString(src.resolve("f1"), "changed");
    Files.writeString(src.resolve("h"), "new");
    Files.delete(src.resolve("f2"));
    assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
    List<String> ids = repo.jobIds();
    assertTrue(Files.exists(dir.resolve("repo/index/" + ids.get(1) + ".ckp")), "the second job writes a checkpoint");
    assertTrue(repo.manifest(ids.get(2)).checkpointRefs().isEmpty(), "the third job writes none");
    return src;
  }

  @Test
  void currentRestore_readsTheNewestCheckpoint_notTheSegmentsBeforeIt(@TempDir Path dir) throws Exception {
    Path src = threeJobs(dir);
    Repository repo = RepoFixture.open(dir.resolve("repo"));
    // the first job's segment is older than the checkpoint: a restore of the current versions never reads it
    Files.delete(dir.resolve("repo/index/" + repo.jobIds().get(0) + ".idx"));
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, restore(repo, dir.resolve("out"), null, false, lines).failed(), lines.toString());
    assertSameTree(src, under(dir.resolve("out"), src));
    History h = History.current(repo, null);
    String at = src.toAbsolutePath().toString();
    assertTrue(h.current().containsKey(at + "/h") && !h.current().containsKey(at + "/f2"), "as of the last job");
    assertThrows(IllegalStateException.class, h::spans, "no older versions were loaded");
  }

  @Test
  void damagedCheckpoint_currentRestoreReplaysTheSegmentsInstead(@TempDir Path dir) throws Exception {
    Path src = threeJobs(dir);
    Repository repo = RepoFixture.open(dir.resolve("repo"));
    Path ckp = dir.resolve("repo/index/" + repo.jobIds().get(1) + ".ckp");
    flipByteNearTheEnd(ckp);
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, restore(repo, dir.resolve("out"), null, false, lines).failed(), lines.toString());
    assertSameTree(src, under(dir.resolve("out"), src));
  }

  /** Damages a stored object: one byte near its end flipped. */
  private static void flipByteNearTheEnd(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() - 5);
      int b = f.read();
      f.seek(f.length() - 5);
      f.write(b ^ 0x40);
    }
  }
}
