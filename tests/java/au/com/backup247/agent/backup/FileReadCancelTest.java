package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel reaches the read of a large file at its next chunk: the job does not read the rest of the
 * file before it stops, and the file is not stored.
 */
class FileReadCancelTest {

  @Test
  void cancel_stopsTheReadAtTheNextChunk_notAtTheEndOfTheFile(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path big = src.resolve("big.bin");
    long size = 32L << 20;
    Files.write(big, RepoFixture.bytes(new java.util.Random(1), (int) size));
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    BackupJob job = new BackupJob(List.of(repo), new BackupOptions(List.of(src), false, 1, Clock.systemUTC()),
        RepoFixture.jobLog(lines));
    FileChunker r = new FileChunker(job, new Item(SourceEntry.of(big, false), new FileVersion[1]),
        new byte[FileChunker.bufferSize(job)]);
    assertNotNull(r.next(), lines.toString());
    assertNotNull(r.next(), lines.toString());
    long readBefore = job.stats().bytesRead.get();
    assertTrue(readBefore > 0 && readBefore < size, "read " + readBefore);

    job.cancel();
    assertNull(r.next(), "the next chunk sees the cancel");
    assertNull(r.finish(), "a cancelled file is not stored");
    assertEquals(readBefore, job.stats().bytesRead.get(), "nothing more read after the cancel");
    assertTrue(lines.stream().noneMatch(l -> l.toString().contains("big.bin")), "no warning about it: " + lines);
  }
}
