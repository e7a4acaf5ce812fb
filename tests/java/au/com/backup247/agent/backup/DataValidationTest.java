package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.under;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guide ch. 11.3 "Data Validation Check Process": a block that the destination silently lost or
 * stored short is found after the uploads, the files with data in it leave the job's index, and
 * the next backup stores them again. The faults come from {@link FaultyStore} over a real folder.
 */
class DataValidationTest {

  private static final int FILES = 12;

  /** Twelve 1 MiB random files: three per 4 MiB block, so a lost block takes a few files with it. */
  private static void makeSource(Path src) throws Exception {
    Files.createDirectories(src);
    Random r = new Random(7);
    for (int i = 0; i < FILES; i++) {
      Files.write(src.resolve(String.format("f%02d.bin", i)), RepoFixture.bytes(r, 1 << 20));
    }
    Files.writeString(src.resolve("small.txt"), "small and fine");
  }

  private record Run(BackupResult result, List<JobLog.Line> lines, JobStats stats) {
    List<String> warnings() {
      return lines.stream().filter(l -> l.level() == JobLog.Level.WARNING).map(JobLog.Line::message).toList();
    }

    /** The files the log says were removed from the job. */
    Set<String> removedFiles() {
      Set<String> out = new TreeSet<>();
      for (String w : warnings()) {
        int at = w.indexOf(": file ");
        if (at >= 0) {
          out.add(w.substring(at + ": file ".length(), w.indexOf(" removed from job")));
        }
      }
      return out;
    }
  }

  private static Run backup(Path src, Repository repo) throws Exception {
    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> rs = StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 2,
        Clock.systemUTC()), RepoFixture.jobLog(lines));
    return new Run(rs.get(0), lines, rs.get(0).stats());
  }

  private static Repository faulty(Path repoDir, Fault blockFault) {
    FaultyStore store = new FaultyStore(new LocalStore(repoDir), 11);
    Repository repo = Repository.init(store, RepoFixture.options(CipherSuite.AES_256_GCM,
        CompressionSetting.FAST_LOCAL), RepoFixture.PASSWORD);
    store.script(Op.PUT, "blocks/", blockFault); // the job's first block
    return repo;
  }

  private static void lostBlock_filesLeaveTheJob_nextBackupStoresThemAgain(Path dir, Fault fault) throws Exception {
    Path src = dir.resolve("src");
    makeSource(src);
    Path repoDir = dir.resolve("repo");
    Run first = backup(src, faulty(repoDir, fault));

    assertTrue(first.result().ok(), String.valueOf(first.result().error()));
    List<String> warnings = first.warnings();
    assertTrue(warnings.stream().anyMatch(w -> w.contains("data validation at") && w.contains("block blocks/")),
        warnings.toString());
    Set<String> removed = first.removedFiles();
    assertFalse(removed.isEmpty(), "files of the lost block are named: " + warnings);
    assertTrue(removed.size() < FILES, "files in other blocks stay: " + removed);

    Repository repo = RepoFixture.open(repoDir);
    Checker.Report check = new Checker(repo).run(true);
    assertTrue(check.ok(), check.problems().toString());

    // the job's index has no removed file and no blob of a block that is not there
    History h = History.load(repo, null);
    for (String p : removed) {
      assertFalse(h.current().containsKey(p), p + " is not in the job");
    }
    Store plain = new LocalStore(repoDir);
    for (ChunkId id : h.blobs().keySet()) {
      assertTrue(plain.exists(h.location(id).block()), "blob " + id + " points to a stored block");
    }
    long blocksListed = plain.list("blocks/").size();
    assertEquals(first.stats().blocks.get() - 1, blocksListed, "the bad block is not at the destination");

    // restore of the job gives every other file
    Path out1 = dir.resolve("out1");
    RepoFixture.restore(repo, out1, null, false, new ArrayList<>());
    Path got = under(out1, src);
    for (Path f : Files.list(src).toList()) {
      boolean gone = removed.contains(f.toAbsolutePath().toString());
      assertEquals(!gone, Files.exists(got.resolve(f.getFileName().toString())), f.toString());
      if (!gone) {
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(got.resolve(f.getFileName().toString())));
      }
    }

    // the next backup stores the removed files again; then everything restores byte-identical
    Run second = backup(src, RepoFixture.open(repoDir));
    assertTrue(second.result().ok(), String.valueOf(second.result().error()));
    assertTrue(second.warnings().isEmpty(), second.warnings().toString());
    assertEquals(removed.size(), second.stats().filesNew.get(), "exactly the removed files are new again");
    assertTrue(second.stats().bytesNew.get() > 0, "their data is uploaded again");
    Repository again = RepoFixture.open(repoDir);
    assertTrue(new Checker(again).run(true).ok());
    Path out2 = dir.resolve("out2");
    RepoFixture.restore(again, out2, null, false, new ArrayList<>());
    RepoFixture.assertSameTree(src, under(out2, src));
  }

  @Test
  void silentlyDroppedBlock(@TempDir Path dir) throws Exception {
    lostBlock_filesLeaveTheJob_nextBackupStoresThemAgain(dir, Fault.silentDrop());
  }

  @Test
  void truncatedBlock_isRemovedFromTheDestination(@TempDir Path dir) throws Exception {
    lostBlock_filesLeaveTheJob_nextBackupStoresThemAgain(dir, Fault.truncate());
  }

  @Test
  void changedFileInALostBlock_keepsItsPreviousVersionUntilTheNextBackup(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path victim = src.resolve("victim.bin");
    byte[] v1 = RepoFixture.bytes(new Random(1), 1 << 20);
    Files.write(victim, v1);
    Files.writeString(src.resolve("other.txt"), "other");
    Path repoDir = dir.resolve("repo");
    FaultyStore store = new FaultyStore(new LocalStore(repoDir), 3);
    Repository repo = Repository.init(store, RepoFixture.options(CipherSuite.AES_256_GCM,
        CompressionSetting.FAST_LOCAL), RepoFixture.PASSWORD);
    assertTrue(backup(src, repo).result().ok());

    byte[] v2 = RepoFixture.bytes(new Random(2), 1 << 20);
    Files.write(victim, v2);
    Files.setLastModifiedTime(victim, FileTime.fromMillis(Files.getLastModifiedTime(victim).toMillis() + 5000));
    store.script(Op.PUT, "blocks/", Fault.silentDrop());
    Run second = backup(src, repo);
    assertTrue(second.result().ok());
    assertEquals(Set.of(victim.toAbsolutePath().toString()), second.removedFiles());
    FileVersion current = History.load(RepoFixture.open(repoDir), null).current()
        .get(victim.toAbsolutePath().toString());
    assertEquals(v1.length, current.size());
    Path out = dir.resolve("out");
    RepoFixture.restore(RepoFixture.open(repoDir), out, null, false, new ArrayList<>());
    assertArrayEquals(v1, Files.readAllBytes(under(out, src).resolve("victim.bin")),
        "the job that lost the new version restores the previous one");

    Run third = backup(src, RepoFixture.open(repoDir));
    // the parent folders changed too (restores were made next to the source): count the bytes read
    assertEquals(v2.length, third.stats().bytesRead.get(), "the next backup reads the file again");
    Path out3 = dir.resolve("out3");
    RepoFixture.restore(RepoFixture.open(repoDir), out3, null, false, new ArrayList<>());
    assertArrayEquals(v2, Files.readAllBytes(under(out3, src).resolve("victim.bin")));
    assertTrue(new Checker(RepoFixture.open(repoDir)).run(true).ok());
  }

  @Test
  void cleanJob_logsTheCheckAndNoWarning(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    makeSource(src);
    Run run = backup(src, RepoFixture.init(dir.resolve("repo")));
    assertTrue(run.warnings().isEmpty(), run.warnings().toString());
    assertTrue(run.lines().stream().anyMatch(l -> l.message().contains("data validation at")
        && l.message().contains("present with the sizes sent")), run.lines().stream().map(JobLog.Line::message)
        .collect(Collectors.joining("\n")));
  }
}
