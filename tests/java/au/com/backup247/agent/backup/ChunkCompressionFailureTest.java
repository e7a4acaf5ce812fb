package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk that cannot be compressed is not only the file's problem: its id went into the job's dedup
 * set before the compression, so a later file with the same chunk would refer to a blob that is never
 * stored. The chunker therefore fails every destination, naming the file, and the commit then writes
 * no job. (The failure is planted through the chunker's compression function: zstd does not fail on
 * cue.)
 */
class ChunkCompressionFailureTest {
  private static final int CHUNK = 64 << 10;

  @Test
  void aChunkThatCannotBeCompressed_failsEveryDestination_namingTheFile_andNothingIsCommitted(@TempDir Path dir)
      throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path big = src.resolve("big.bin");
    Files.write(big, RepoFixture.bytes(new Random(18), 20 * CHUNK));
    Repository repo = Repository.init(new LocalStore(dir.resolve("repo")), new Repository.InitOptions(
        "1700000000000", CipherSuite.AES_256_GCM, CompressionSetting.NORMAL, KeyType.PASSWORD, CHUNK, 4 << 20, 1024,
        1), RepoFixture.PASSWORD);
    List<JobLog.Line> lines = new ArrayList<>();
    BackupJob job = new BackupJob(List.of(repo), new BackupOptions(List.of(src), false, 1, Clock.systemUTC()),
        RepoFixture.jobLog(lines));
    assertTrue(job.prepare(), lines.toString());
    AtomicInteger calls = new AtomicInteger();
    FileChunker c = new FileChunker(job, new Item(SourceEntry.of(big, false), new FileVersion[1]),
        new byte[FileChunker.bufferSize(job)], (p, off, len) -> {
          if (calls.incrementAndGet() == 7) {
            throw new IllegalStateException("planted compression failure");
          }
          return repo.compressor().body(p, off, len);
        });
    int blobs = 0;
    while (c.next() != null) {
      blobs++;
    }
    assertEquals(6, blobs, "the chunks before the failed one, none after");
    assertNull(c.finish(), "the file is not stored");
    assertFalse(job.destinationOk(0), "the destination fails: the chunk's id is in the dedup set already");
    assertTrue(lines.stream().anyMatch(l -> l.toString().contains(big.toString())
        && l.toString().contains("planted compression failure")), lines.toString());

    List<BackupResult> results = job.committer().commit();
    assertFalse(results.get(0).ok(), results.toString());
    assertTrue(results.get(0).error().contains(big.toString()), results.get(0).error());
    assertTrue(repo.store().list("jobs/").isEmpty(), "no job was committed");
  }
}
