package au.com.backup247.agent.backup;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 8, backup side (TEST-MATRIX S1): a file the scan saw is swapped, before it is
 * opened, for a FIFO, a symlink to a secret or another file. The read must neither block nor read
 * something else: the file is skipped with a warning saying what happened.
 */
class ScanRaceTest {
  @TempDir
  Path dir;
  private Path src;
  private Path victim;
  private final List<JobLog.Line> lines = new ArrayList<>();
  private BackupJob job;

  @BeforeEach
  void setUp() throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    victim = src.resolve("victim.txt");
    Files.writeString(victim, "the file that was scanned");
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    job = new BackupJob(List.of(repo), new BackupOptions(List.of(src), false, 1, Clock.systemUTC()),
        RepoFixture.jobLog(lines));
  }

  /** Reads the scanned entry after {@code swap} ran; returns the version stored (null: skipped). */
  private FileVersion readAfter(ThrowingRunnable swap) throws Exception {
    SourceEntry scanned = SourceEntry.of(victim, false);
    swap.run();
    FileChunker r = new FileChunker(job, new Item(scanned, new FileVersion[1]),
        new byte[FileChunker.bufferSize(job)]);
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      while (r.next() != null) {
        // chunks of what was read
      }
      return r.finish();
    }, "the read blocked");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void assertWarned(String what) {
    assertTrue(lines.stream().anyMatch(l -> l.toString().contains("victim.txt was replaced by " + what)),
        lines.toString());
  }

  @Test
  void aFifoSwappedIn_doesNotBlockTheJob_andNoOpenIsLeftWaiting() throws Exception {
    FileVersion v = readAfter(() -> {
      Files.delete(victim);
      Process p = new ProcessBuilder("mkfifo", victim.toString()).inheritIO().start();
      assertEquals(0, p.waitFor());
    });
    assertNull(v);
    assertWarned("a FIFO");
    eventually(Duration.ofSeconds(10), () -> assertFalse(openWaiting(), "an open of the FIFO is still waiting"));
  }

  private static boolean openWaiting() {
    return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().equals("b247-open")
        && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("open0")
            || f.getClassName().contains("UnixChannelFactory")));
  }

  @Test
  void aSymlinkToASecretSwappedIn_isNotFollowed() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "root only");
    FileVersion v = readAfter(() -> {
      Files.delete(victim);
      Files.createSymbolicLink(victim, secret);
    });
    assertNull(v);
    assertWarned("a symlink");
  }

  @Test
  void anotherFileRenamedOverIt_isNotStoredUnderItsName() throws Exception {
    Path other = dir.resolve("other");
    Files.writeString(other, "another file, same path");
    FileVersion v = readAfter(() -> Files.move(other, victim, StandardCopyOption.REPLACE_EXISTING));
    assertNull(v);
    assertWarned("another file");
  }

  @Test
  void anUntouchedFile_isRead() throws Exception {
    FileVersion v = readAfter(() -> { });
    assertEquals(Files.size(victim), v.size());
    assertTrue(lines.stream().noneMatch(l -> l.level() == JobLog.Level.WARNING), lines.toString());
  }
}
