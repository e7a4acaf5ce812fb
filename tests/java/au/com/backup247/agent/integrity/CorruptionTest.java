package au.com.backup247.agent.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.restore.BlockScan;
import au.com.backup247.agent.restore.RestoreEngine;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TEST-MATRIX R13, R14: damage to a block (a flipped byte in its prologue, salt, sealed header or
 * trailer; cut to zero bytes or one byte short) and to an index part (zero bytes, one byte short).
 * {@code check} names the damaged object and the files it affects, a restore fails those files
 * loudly and restores the others, and the index can be rebuilt from the blocks.
 */
class CorruptionTest {
  @TempDir
  Path dir;
  private Path src;
  private Path repoDir;
  private String secondJob;
  private Path block;

  /** Job 1 stores bystander.txt; job 2 adds victim.bin in a block of its own. */
  @BeforeEach
  void twoJobs() throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("bystander.txt"), "fine");
    repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    Files.write(src.resolve("victim.bin"), RepoFixture.bytes(new Random(13), 300_000));
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    secondJob = repo.jobIds().get(1);
    History h = History.load(repo, null);
    FileVersion v = h.current().get(src.resolve("victim.bin").toAbsolutePath().toString());
    block = repoDir.resolve(h.location(v.chunks().get(0)).block());
    assertTrue(block.toString().contains("/blocks/" + secondJob + "/"), block.toString());
  }

  enum BlockDamage {
    PROLOGUE_MAGIC(true), SALT(true), ZERO_LENGTH(true),
    // the blobs themselves are intact: they still open (authenticated) through the index
    SEALED_HEADER(false), HEADER_LENGTH(false), END_MARKER(false), ONE_BYTE_SHORT(false);

    final boolean dataLost;

    BlockDamage(boolean dataLost) {
      this.dataLost = dataLost;
    }
  }

  private static void damage(Path file, BlockDamage d) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long n = f.length();
      switch (d) {
        case ZERO_LENGTH -> f.setLength(0);
        case ONE_BYTE_SHORT -> f.setLength(n - 1);
        default -> {
          f.seek(n - 12);
          long hl = f.readInt() & 0xFFFFFFFFL;
          long at = switch (d) {
            case PROLOGUE_MAGIC -> 2;
            case SALT -> 20;
            case SEALED_HEADER -> n - 12 - hl + hl / 2;
            case HEADER_LENGTH -> n - 10;
            default -> n - 3; // END_MARKER
          };
          f.seek(at);
          int b = f.read();
          f.seek(at);
          f.write(b ^ 0x10);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BlockDamage.class)
  void damagedBlock_isNamedByCheckWithTheFilesItAffects_andOnlyThoseFailToRestore(BlockDamage d) throws Exception {
    damage(block, d);
    Checker.Report rep = new Checker(RepoFixture.open(repoDir)).run(false);
    assertFalse(rep.ok(), d + " went unnoticed");
    String rel = repoDir.relativize(block).toString();
    assertTrue(rep.problems().stream().anyMatch(p -> p.contains(rel) && p.contains("victim.bin")),
        d + ": " + rep.problems());

    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine.Summary s = RepoFixture.restore(RepoFixture.open(repoDir), dir.resolve("out"), null, false, lines);
    Path out = RepoFixture.under(dir.resolve("out"), src);
    assertEquals("fine", Files.readString(out.resolve("bystander.txt")));
    if (d.dataLost) {
      assertEquals(1, s.failed(), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> l.level() == JobLog.Level.ERROR && l.message().contains("victim.bin")),
          lines.toString());
      assertFalse(Files.exists(out.resolve("victim.bin")), "a damaged file never appears under its name");
    } else {
      assertEquals(0, s.failed(), lines.toString());
      RepoFixture.assertSameTree(src, out); // never silently wrong: every blob is authenticated
    }

    // a rebuild from the blocks alone skips the damaged block, naming it, and recovers the rest
    List<JobLog.Line> scan = new ArrayList<>();
    History rebuilt = BlockScan.scan(RepoFixture.open(repoDir), RepoFixture.jobLog(scan));
    assertTrue(scan.stream().anyMatch(l -> l.message().contains(rel)), scan.toString());
    assertTrue(rebuilt.current().containsKey(src.resolve("bystander.txt").toAbsolutePath().toString()));
  }

  enum IndexDamage { ZERO_LENGTH, ONE_BYTE_SHORT }

  @ParameterizedTest
  @EnumSource(IndexDamage.class)
  void damagedIndexPart_isNamedByCheck_andTheIndexIsRebuiltFromTheBlocks(IndexDamage d) throws Exception {
    Path part = repoDir.resolve("index/" + secondJob + ".idx");
    try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
      f.setLength(d == IndexDamage.ZERO_LENGTH ? 0 : f.length() - 1);
    }
    Checker.Report rep = new Checker(RepoFixture.open(repoDir)).run(false);
    assertFalse(rep.ok());
    assertTrue(rep.problems().stream().anyMatch(p -> p.contains("job " + secondJob) && p.contains("index/" + secondJob
        + ".idx")), rep.problems().toString());
    RepoException e = assertThrows(RepoException.class, () -> History.load(RepoFixture.open(repoDir), null));
    assertTrue(e.getMessage().contains("index/" + secondJob + ".idx"), e.getMessage());

    Repository repo = RepoFixture.open(repoDir);
    History rebuilt = BlockScan.scan(repo, RepoFixture.jobLog(new ArrayList<>()));
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine.Summary s = new RestoreEngine(repo, new RestoreEngine.Options(dir.resolve("out"), null, false, null,
        false, 2), RepoFixture.jobLog(lines)).run(rebuilt);
    assertEquals(0, s.failed(), lines.toString());
    RepoFixture.assertSameTree(src, RepoFixture.under(dir.resolve("out"), src));
  }
}
