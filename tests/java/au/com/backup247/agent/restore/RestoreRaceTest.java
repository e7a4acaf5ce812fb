package au.com.backup247.agent.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 8, restore side (TEST-MATRIX S3): while a restore (as root, into a folder a local
 * user can write) reads its first block, the user moves a restored folder away and puts a symlink
 * to another folder in its place. Nothing may be written through that link: the restore keeps
 * writing into the folder it made, and never renames into a folder reached through a link.
 */
class RestoreRaceTest {

  /** Runs {@code swap} once, when the restore reads its first block range: a local user acting mid-restore. */
  static final class SwapOnFirstRead extends ForwardingStore {
    private final AtomicBoolean done = new AtomicBoolean();
    private final Runnable swap;

    SwapOnFirstRead(LocalStore inner, Runnable swap) {
      super(inner);
      this.swap = swap;
    }

    @Override
    public byte[] get(String path, long offset, int length) {
      if (path.startsWith("blocks/") && done.compareAndSet(false, true)) {
        swap.run();
      }
      return inner.get(path, offset, length);
    }
  }

  @Test
  void aFolderSwappedForASymlinkMidRestore_isNeverWrittenThrough(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("docs"));
    for (String n : List.of("a.txt", "b.txt", "c.txt")) {
      Files.writeString(src.resolve("docs").resolve(n), "content of " + n);
    }
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    repo.close();

    Path out = dir.resolve("out");
    Path docs = RepoFixture.under(out, src).resolve("docs");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")); // e.g. /etc/cron.d
    Repository swapping = Repository.open(new SwapOnFirstRead(new LocalStore(dir.resolve("repo")), () -> {
      try {
        Files.move(docs, docs.resolveSibling("docs.moved"));
        Files.createSymbolicLink(docs, elsewhere);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }), RepoFixture.PASSWORD);
    List<JobLog.Line> lines = new ArrayList<>();
    new RestoreEngine(swapping, new RestoreEngine.Options(out, null, false, null, false, 1),
        RepoFixture.jobLog(lines)).run();

    try (Stream<Path> s = Files.list(elsewhere)) {
      assertEquals(List.of(), s.toList(), "written through the symlink: " + lines);
    }
    for (String n : List.of("a.txt", "b.txt", "c.txt")) {
      assertEquals("content of " + n, Files.readString(docs.resolveSibling("docs.moved").resolve(n)), lines.toString());
    }
  }
}
