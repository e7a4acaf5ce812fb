package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code repo backup} starts and fails: a command that fails on the key or the repository says
 * only that (nothing of the walk, no lock, no job), and a run that works prints the walk's warnings
 * once. A guard for any change to the order of the start (an early walk, destinations prepared ahead).
 */
class RepoBackupStartTest {
  @TempDir
  Path dir;
  private Path src;
  private Path repo;
  private Path key;

  @BeforeEach
  void setUp() throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("f.txt"), "data");
    // skipped with a warning by the walk
    assertEquals(0, new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start().waitFor());
    repo = dir.resolve("repo");
    RepoFixture.init(repo).close();
    key = Files.writeString(dir.resolve("key"), RepoFixture.PASSWORD + "\n");
  }

  private CliRun.Result backup(Path repoDir, Path keyFile) {
    return CliRun.b247("repo", "backup", "--repo", repoDir.toString(), "--key-file", keyFile.toString(),
        src.toString());
  }

  private List<String> files(String folder) throws Exception {
    Path p = repo.resolve(folder);
    if (!Files.isDirectory(p)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).toList();
    }
  }

  @Test
  void aWrongKey_isAllThatIsReported_andNothingIsLeftBehind() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not the password of this repository\n");
    CliRun.Result r = backup(repo, wrong);
    assertEquals(1, r.exit(), r.all());
    assertEquals("b247: wrong key for repository " + repo, r.err().strip());
    assertEquals("", r.out());
    assertEquals(List.of(), files("locks"));
    assertEquals(List.of(), files("jobs"));
  }

  @Test
  void aMissingKeyFile_isAUsageError_asBefore() {
    CliRun.Result r = backup(repo, dir.resolve("no-key"));
    assertEquals(2, r.exit(), r.all());
    assertEquals("b247: key file " + dir.resolve("no-key") + " cannot be read: no such file or folder",
        r.err().strip());
  }

  @Test
  void aFolderWithoutRepository_isReportedAlone() throws Exception {
    CliRun.Result r = backup(Files.createDirectories(dir.resolve("empty")), key);
    assertEquals(1, r.exit(), r.all());
    assertTrue(r.err().strip().startsWith("b247: no repository at " + dir.resolve("empty")), r.all());
    assertTrue(r.err().strip().lines().count() == 1, r.all());
  }

  @Test
  void aRerun_printsTheWalksWarningOnce_andStoresNothingNew() throws Exception {
    assertEquals(0, backup(repo, key).exit());
    CliRun.Result r = backup(repo, key);
    assertEquals(0, r.exit(), r.all());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("WARNING") && l.contains("pipe")).count(), r.all());
    assertTrue(r.out().contains("files: 0 new") && r.out().contains("bytes: 0 read"), r.all());
    assertEquals(2, files("jobs").size());
    assertEquals(List.of(), files("locks"));
  }
}
