package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.assertSameTree;
import static au.com.backup247.agent.backup.RepoFixture.backup;
import static au.com.backup247.agent.backup.RepoFixture.restore;
import static au.com.backup247.agent.backup.RepoFixture.under;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupRestoreTest {

  @ParameterizedTest
  @EnumSource(CipherSuite.class)
  void backupThenRestore_givesAnIdenticalTree_forEveryCipher(CipherSuite suite, @TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 1);
    Repository repo = Repository.init(new LocalStore(dir.resolve("repo")),
        RepoFixture.options(suite, CompressionSetting.NORMAL), RepoFixture.PASSWORD);
    List<BackupResult> r = backup(src, repo);
    assertTrue(r.get(0).ok(), r.toString());
    Repository reopened = Repository.open(new LocalStore(dir.resolve("repo")), // no key for an unencrypted one
        suite == CipherSuite.NONE ? null : RepoFixture.PASSWORD);
    List<au.com.backup247.agent.backup.JobLog.Line> lines = new ArrayList<>();
    var summary = restore(reopened, dir.resolve("out"), null, false, lines);
    assertEquals(0, summary.failed(), lines.toString());
    assertSameTree(src, under(dir.resolve("out"), src));
    assertTrue(new Checker(reopened).run(true).ok());
  }

  @ParameterizedTest
  @EnumSource(CompressionSetting.class)
  void everyCompressionSetting_roundTrips(CompressionSetting c, @TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 2);
    Repository repo = Repository.init(new LocalStore(dir.resolve("repo")),
        RepoFixture.options(CipherSuite.AES_256_GCM, c), RepoFixture.PASSWORD);
    assertTrue(backup(src, repo).get(0).ok());
    restore(RepoFixture.open(dir.resolve("repo")), dir.resolve("out"), null, false, new ArrayList<>());
    assertSameTree(src, under(dir.resolve("out"), src));
  }

  @Test
  void secondBackup_readsOnlyChangedFiles_andEndsDeletedOnes(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(backup(src, repo).get(0).ok());
    String first = repo.jobIds().get(0);
    assertTrue(backup(src, repo).get(0).ok());
    Manifest unchanged = repo.manifest(repo.jobIds().get(1));
    assertEquals(0, unchanged.stat("bytes.read"), "an unchanged tree must not be read again");
    // nothing under the source changed (the folders above it, e.g. /tmp, may have: other programs write there)
    assertEquals(List.of(), repo.segment(unchanged).added().stream().map(v -> v.path())
        .filter(p -> p.startsWith(src.toAbsolutePath().toString())).toList());

    Files.writeString(src.resolve("docs/readme.txt"), "changed\n");
    Files.delete(src.resolve("big.bin"));
    assertTrue(backup(src, repo).get(0).ok());
    Manifest third = repo.manifest(repo.jobIds().get(2));
    assertEquals(8, third.stat("bytes.read"));
    assertEquals(1, third.stat("files.deleted"));

    History latest = History.load(repo, null);
    String big = src.resolve("big.bin").toAbsolutePath().toString();
    assertFalse(latest.current().containsKey(big));
    assertTrue(History.load(repo, first).current().containsKey(big), "the deleted file is still in the old job");

    // restore as of the first job brings back the old content and the deleted file
    restore(repo, dir.resolve("old"), first, false, new ArrayList<>());
    assertEquals("hello backup\n".repeat(1000), Files.readString(under(dir.resolve("old"), src).resolve("docs/readme.txt")));
    assertTrue(Files.exists(under(dir.resolve("old"), src).resolve("big.bin")));
  }

  @Test
  void aRewriteThatKeepsSizeAndModificationTime_isBackedUp(@TempDir Path dir) throws Exception {
    // copies that keep times (cp -p, rsync -t, tar) give a rewritten file its old modification time
    // back: only its status-change time (ctime) tells
    Path src = Files.createDirectories(dir.resolve("src"));
    Path f = src.resolve("ledger.dat");
    Files.writeString(f, "balance 100");
    FileTime mtime = Files.getLastModifiedTime(f);
    Object ctime = Files.getAttribute(f, "unix:ctime");
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(backup(src, repo).get(0).ok());

    Files.writeString(f, "balance 999");
    do {
      Files.setLastModifiedTime(f, mtime); // again until the clock has ticked since the first write
    } while (Files.getAttribute(f, "unix:ctime").equals(ctime));
    assertTrue(backup(src, repo).get(0).ok());

    Manifest second = repo.manifest(repo.jobIds().get(1));
    assertEquals(11, second.stat("bytes.read"), "the rewritten file is read again");
    restore(RepoFixture.open(dir.resolve("repo")), dir.resolve("out"), null, false, new ArrayList<>());
    Path restored = under(dir.resolve("out"), src).resolve("ledger.dat");
    assertEquals("balance 999", Files.readString(restored));
    assertEquals(mtime, Files.getLastModifiedTime(restored));
  }

  @Test
  void allVersions_restoresOlderVersionsWithTheirJobInTheName(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("report.txt"), "v1");
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    backup(src, repo);
    String first = repo.jobIds().get(0);
    Files.writeString(src.resolve("report.txt"), "version two");
    backup(src, repo);
    restore(repo, dir.resolve("out"), null, true, new ArrayList<>());
    Path folder = under(dir.resolve("out"), src);
    assertEquals("version two", Files.readString(folder.resolve("report.txt")));
    assertEquals("v1", Files.readString(folder.resolve("report." + first + ".txt")));
  }

  @Test
  void dedup_storesRepeatedContentOnce(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    byte[] data = RepoFixture.bytes(new java.util.Random(9), 6 << 20);
    Files.write(src.resolve("a.bin"), data);
    Files.write(src.resolve("copy-of-a.bin"), data);
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    backup(src, repo);
    Manifest m = repo.manifest(repo.jobIds().get(0));
    assertEquals(12 << 20, m.stat("bytes.read"));
    assertEquals(6 << 20, m.stat("bytes.new"));
  }

  @Test
  void ownerAndGroup_areRestored_whenRestoringAsRoot(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "only root can give files to other users");
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path f = src.resolve("owned.txt");
    Files.writeString(f, "mine");
    Files.setAttribute(f, "unix:uid", 1234, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(f, "unix:gid", 2345, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    Path link = src.resolve("link");
    Files.createSymbolicLink(link, Path.of("owned.txt"));
    Files.setAttribute(link, "unix:uid", 4321, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    backup(src, repo);
    restore(repo, dir.resolve("out"), null, false, new ArrayList<>());
    Path out = under(dir.resolve("out"), src);
    assertEquals(1234, Files.getAttribute(out.resolve("owned.txt"), "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(2345, Files.getAttribute(out.resolve("owned.txt"), "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(4321, Files.getAttribute(out.resolve("link"), "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  /** TEST-MATRIX S1 (the names Java can represent; see the note on invalid UTF-8). */
  @Test
  void oddNames_roundTrip_andSymlinksAreStoredNotFollowed(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("new\nline"), "a");
    Files.writeString(src.resolve("-leading-dash"), "b");
    Files.writeString(src.resolve("x".repeat(255)), "c");
    Files.writeString(src.resolve("ünïcødé ✓"), "d");
    Files.createSymbolicLink(src.resolve("etc-link"), Path.of("/etc"));
    Files.createSymbolicLink(src.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(src.resolve("loop2"), Path.of("loop1"));
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(backup(src, repo).get(0).ok());
    assertTrue(History.load(repo, null).current().keySet().stream().noneMatch(p -> p.startsWith("/etc/")),
        "a symlink was followed");
    List<JobLog.Line> lines = new ArrayList<>();
    var s = restore(repo, dir.resolve("out"), null, false, lines);
    assertEquals(0, s.failed(), lines.toString());
    RepoFixture.assertSameTree(src, under(dir.resolve("out"), src));
  }

  @Test
  void wrongPassword_isRefusedClearly(@TempDir Path dir) {
    RepoFixture.init(dir.resolve("repo"));
    WrongKeyException e = assertThrows(WrongKeyException.class,
        () -> Repository.open(new LocalStore(dir.resolve("repo")), "not the password"));
    assertTrue(e.getMessage().startsWith("wrong key for repository"), e.getMessage());
  }

  @Test
  void alteredConfig_isDetected(@TempDir Path dir) throws Exception {
    RepoFixture.init(dir.resolve("repo"));
    Path config = dir.resolve("repo/config");
    Files.writeString(config, Files.readString(config).replace("blockSize=4194304", "blockSize=1048576"));
    RepoException e = assertThrows(RepoException.class, () -> RepoFixture.open(dir.resolve("repo")));
    assertTrue(e.getMessage().contains("altered"), e.getMessage());
  }

  @Test
  void missingSource_isAFailureNamingIt_notACrash(@TempDir Path dir) throws Exception {
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    var r = StandaloneBackup.run(List.of(repo), BackupOptions.of(List.of(dir.resolve("nope"))),
        RepoFixture.jobLog(lines));
    assertFalse(r.get(0).ok(), "nothing to back up is not a completed backup (issue 12: statuses never lie)");
    assertTrue(lines.stream().anyMatch(l -> l.level() == JobLog.Level.ERROR && l.message().contains("does not exist")));
  }
}
