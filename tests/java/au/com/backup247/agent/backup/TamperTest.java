package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.backup;
import static au.com.backup247.agent.backup.RepoFixture.restore;
import static au.com.backup247.agent.backup.RepoFixture.under;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.PathOrder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TEST-MATRIX R13–R15, S2–S4: damaged and tampered repositories. */
class TamperTest {

  private static Path blockOf(Repository repo, Path repoDir, Path file) {
    History h = History.load(repo, null);
    FileVersion v = h.current().get(file.toAbsolutePath().toString());
    return repoDir.resolve(h.location(v.chunks().get(0)).block());
  }

  @Test
  void flippedByteInABlob_failsOnlyThatFile_namingFileBlockAndJob(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("victim.bin"), RepoFixture.bytes(new java.util.Random(1), 5 << 20));
    Files.writeString(src.resolve("bystander.txt"), "fine");
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    backup(src, repo);
    History h = History.load(repo, null);
    FileVersion victim = h.current().get(src.resolve("victim.bin").toAbsolutePath().toString());
    BlobLocation loc = h.location(victim.chunks().get(0));
    try (RandomAccessFile f = new RandomAccessFile(repoDir.resolve(loc.block()).toFile(), "rw")) {
      f.seek(loc.offset() + 100);
      int b = f.read();
      f.seek(loc.offset() + 100);
      f.write(b ^ 0x01);
    }
    List<JobLog.Line> lines = new ArrayList<>();
    var s = restore(RepoFixture.open(repoDir), dir.resolve("out"), null, false, lines);
    assertEquals(1, s.failed());
    String err = lines.stream().filter(l -> l.level() == JobLog.Level.ERROR).findFirst().orElseThrow().message();
    assertTrue(err.contains("victim.bin") && err.contains(loc.block()) && err.contains(Repository.jobOf(loc.block())),
        err);
    assertEquals("fine", Files.readString(under(dir.resolve("out"), src).resolve("bystander.txt")));
    assertFalse(Files.exists(under(dir.resolve("out"), src).resolve("victim.bin")), "no half-restored file");
    Checker.Report rep = new Checker(RepoFixture.open(repoDir)).run(true);
    assertFalse(rep.ok());
    assertTrue(rep.problems().get(0).contains(loc.block()), rep.problems().toString());
    assertTrue(new Checker(RepoFixture.open(repoDir)).run(false).ok(), "without --read-data the damage is invisible");
  }

  @Test
  void truncatedBlock_isDetectedByCheck(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 5);
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    backup(src, repo);
    Path block = blockOf(repo, repoDir, src.resolve("big.bin"));
    try (RandomAccessFile f = new RandomAccessFile(block.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Checker.Report rep = new Checker(RepoFixture.open(repoDir)).run(false);
    assertFalse(rep.ok());
    assertTrue(rep.problems().stream().anyMatch(p -> p.contains(repoDir.relativize(block).toString())), rep.problems()
        .toString());
  }

  @Test
  void deletedBlock_doesNotPoisonLaterJobs(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 6);
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    backup(src, repo);
    Path block = blockOf(repo, repoDir, src.resolve("big.bin"));
    Files.delete(block);
    assertFalse(new Checker(RepoFixture.open(repoDir)).run(false).ok());
    Repository again = RepoFixture.open(repoDir);
    assertTrue(backup(src, again).get(0).ok());
    var s = restore(RepoFixture.open(repoDir), dir.resolve("out"), null, false, new ArrayList<>());
    assertEquals(0, s.failed());
    RepoFixture.assertSameTree(src, under(dir.resolve("out"), src));
  }

  @Test
  void swappedIndexFiles_areDetected(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 7);
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    backup(src, repo);
    Files.writeString(src.resolve("new.txt"), "x");
    backup(src, repo);
    List<String> jobs = repo.jobIds();
    Path a = repoDir.resolve("index/" + jobs.get(0) + ".idx");
    Path b = repoDir.resolve("index/" + jobs.get(1) + ".idx");
    byte[] ab = Files.readAllBytes(a);
    Files.write(a, Files.readAllBytes(b));
    Files.write(b, ab);
    Checker.Report rep = new Checker(RepoFixture.open(repoDir)).run(false);
    assertFalse(rep.ok());
    assertTrue(rep.problems().get(0).contains("does not match its manifest"), rep.problems().toString());
  }

  /** Writes a job whose index holds the given versions (what an attacker with the key could do). */
  private static void writeTamperedJob(Repository repo, String job, List<FileVersion> versions,
      Map<ChunkId, BlobLocation> blobs) {
    List<IndexSegment.Blob> bl = new ArrayList<>();
    List<IndexSegment.Block> blocks = new ArrayList<>();
    blobs.forEach((id, loc) -> {
      bl.add(new IndexSegment.Blob(id, loc));
      if (blocks.stream().noneMatch(b -> b.path().equals(loc.block()))) {
        blocks.add(new IndexSegment.Block(loc.block(), 0));
      }
    });
    List<FileVersion> sorted = new ArrayList<>(versions);
    sorted.sort((a, b) -> PathOrder.compare(a.path(), b.path()));
    Props m = new Props().put("jobId", job);
    Manifest.putRefs(m, "index", repo.writeSegment(new IndexSegment(job, null, blocks, bl, sorted, List.of())));
    repo.writeManifest(job, m);
  }

  /** A repository holding one small file, whose content an attacker re-uses under other paths. */
  private record Payload(Repository repo, Path repoDir, History history, FileVersion payload) {
  }

  private static Payload payloadRepo(Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("payload.txt"), "evil");
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    backup(src, repo);
    History h = History.load(repo, null);
    return new Payload(repo, repoDir, h, h.current().get(src.resolve("payload.txt").toAbsolutePath().toString()));
  }

  @Test
  void tamperedPaths_neverWriteOutsideTheTarget(@TempDir Path dir) throws Exception {
    Payload pl = payloadRepo(dir);
    Repository repo = pl.repo();
    Path repoDir = pl.repoDir();
    History h = pl.history();
    FileVersion payload = pl.payload();
    List<FileVersion> evil = new ArrayList<>();
    for (String p : new String[] {"/../escaped.txt", "/a/../../escaped2.txt", "/ok/./x", "/b//c"}) {
      evil.add(new FileVersion(p, FileVersion.FILE, payload.size(), 0644, 0, 0, 0, "", payload.chunks()));
    }
    writeTamperedJob(repo, "2099-01-01-00-00-00", evil, Map.of(payload.chunks().get(0),
        h.location(payload.chunks().get(0))));
    Path target = dir.resolve("sandbox/target");
    List<JobLog.Line> lines = new ArrayList<>();
    var s = restore(RepoFixture.open(repoDir), target, null, false, lines);
    assertEquals(4, s.failed(), lines.toString());
    assertFalse(Files.exists(dir.resolve("sandbox/escaped.txt")));
    assertFalse(Files.exists(dir.resolve("escaped2.txt")));
    assertFalse(Files.exists(dir.resolve("sandbox/escaped2.txt")));
    assertTrue(lines.stream().allMatch(l -> l.level() != JobLog.Level.ERROR || l.message().startsWith("refused")),
        lines.toString());
  }

  @Test
  void symlinkInTheRepository_isNeverFollowedByALaterFile(@TempDir Path dir) throws Exception {
    Payload pl = payloadRepo(dir);
    Repository repo = pl.repo();
    Path repoDir = pl.repoDir();
    History h = pl.history();
    FileVersion payload = pl.payload();
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    List<FileVersion> evil = List.of(
        new FileVersion("/x", FileVersion.SYMLINK, 0, 0777, 0, 0, 0, outside.toString(), List.of()),
        new FileVersion("/x/planted.txt", FileVersion.FILE, payload.size(), 0644, 0, 0, 0, "", payload.chunks()));
    writeTamperedJob(repo, "2099-01-01-00-00-00", evil, Map.of(payload.chunks().get(0),
        h.location(payload.chunks().get(0))));
    List<JobLog.Line> lines = new ArrayList<>();
    var s = restore(RepoFixture.open(repoDir), dir.resolve("target"), null, false, lines);
    assertEquals(1, s.failed(), lines.toString());
    assertFalse(Files.exists(outside.resolve("planted.txt")), "wrote through a symlink");
  }

  @Test
  void existingSymlinkInTheTarget_isNotFollowed(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("sub/file.txt"), "data");
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    backup(src, repo);
    Path target = dir.resolve("target");
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Path restoredSrc = under(target, src);
    Files.createDirectories(restoredSrc);
    Files.createSymbolicLink(restoredSrc.resolve("sub"), outside);
    List<JobLog.Line> lines = new ArrayList<>();
    var s = restore(RepoFixture.open(dir.resolve("repo")), target, null, false, lines);
    assertTrue(s.failed() >= 1);
    assertFalse(Files.exists(outside.resolve("file.txt")), "wrote through a symlink in the target");
  }

  /**
   * S5 (issue 11, item 12): two blocks swapped at the destination. The next backup reads the
   * headers of sampled blocks (here: all of them) and notices; it warns naming the blocks, does
   * not count their chunks as stored, and stores that data again, so the newest job restores.
   */
  @Test
  void swappedBlocks_areReported_andTheirDataIsStoredAgain(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    Files.write(src.resolve("a.bin"), RepoFixture.bytes(new java.util.Random(1), 1 << 20));
    assertTrue(backup(src, repo).get(0).ok());
    Files.write(src.resolve("b.bin"), RepoFixture.bytes(new java.util.Random(2), 1 << 20));
    assertTrue(backup(src, repo).get(0).ok());
    List<Path> blocks;
    try (var w = Files.walk(repoDir.resolve("blocks"))) {
      blocks = w.filter(p -> p.toString().endsWith(".bak")).sorted().toList();
    }
    assertEquals(2, blocks.size(), blocks.toString());
    Path tmp = dir.resolve("swap");
    Files.move(blocks.get(0), tmp);
    Files.move(blocks.get(1), blocks.get(0));
    Files.move(tmp, blocks.get(1));
    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> r = StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 1,
        java.time.Clock.systemUTC()), RepoFixture.jobLog(lines));
    assertTrue(r.get(0).ok(), lines.toString());
    List<String> warnings = lines.stream().filter(l -> l.level() == JobLog.Level.WARNING).map(JobLog.Line::message)
        .toList();
    assertEquals(2, warnings.stream().filter(w -> w.contains("swapped")).count(), warnings.toString());
    List<JobLog.Line> restoreLines = new ArrayList<>();
    assertEquals(0, restore(repo, dir.resolve("out"), null, false, restoreLines).failed(), restoreLines.toString());
    RepoFixture.assertSameTree(src, under(dir.resolve("out"), src));
  }
}
