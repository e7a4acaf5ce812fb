package au.com.backup247.agent.pipeline;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.LiveFlows;
import au.com.backup247.agent.config.VerticlesSpec;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded by the credit windows end to end: a real backup through {@link PipelineBackup}
 * to two folders, one of which writes a block only when the test lets it. Each time that destination
 * holds a block back, the test waits until every chunker is stalled behind the sealer (or has nothing
 * left to read), so the pipeline fills as far as its windows allow, then lets one block through. The
 * bytes held between stages ({@link HeldBytes}: chunks on their way to the sealer, sealed blocks not
 * yet written everywhere) are recorded at every change and must never exceed the bound the windows
 * give, and the sealer never has more block buffers than one filling plus the upload window; both
 * destinations then restore the tree byte for byte and check clean.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineMemoryTest {
  private static final int CHUNKERS = 2;
  private static final int CHUNK = 32 << 10; // fixed-size chunks: the largest blob is known
  private static final int BLOCK = 256 << 10;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /**
   * A test double for a slow destination (no real server can be slowed on cue): a real folder whose
   * block writes each wait for a permit the test gives. Everything else goes straight through.
   */
  static final class GatedStore extends ForwardingStore {
    final Semaphore permits = new Semaphore(0);

    GatedStore(Store inner) {
      super(inner);
    }

    private void gate(String path) {
      if (path.startsWith("blocks/")) {
        try {
          if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let " + path + " through");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public void put(String path, byte[] data, int length) {
      gate(path);
      super.put(path, data, length);
    }

    @Override
    public void put(String path, byte[] data) {
      gate(path);
      super.put(path, data);
    }

    @Override
    public void put(String path, InputStream data, long length) {
      gate(path);
      super.put(path, data, length);
    }
  }

  /**
   * The most the pipeline may hold, from its windows (verticles.json, as the run deploys them) and the
   * repository's size limits:
   * <ul>
   * <li>blobs: each chunker has at most the seal stage's {@code window} messages of blobs towards the
   * sealer (one credit each) and one more waiting for a credit; a blob is at most a chunk plus its
   * codec byte, and a message is sent once it holds the chunk stage's {@code batchBytes} (at most a
   * chunk), so it holds less than that plus one blob;</li>
   * <li>blocks: a block is held until every destination wrote it, in one of the sealer's block
   * buffers: the upload stage's {@code window} lent to the slowest destination and one more (filling,
   * or sealed and waiting for a credit). The sealer packs a blob only with a buffer at hand, so this
   * does not grow with the number of chunkers.</li>
   * </ul>
   */
  static long bound(Vertx vertx, int blockLimit) {
    Map<String, VerticlesSpec.Entry> plan = VerticlesSpec.pipelineOf(vertx);
    int sealWindow = plan.get("seal").config().getInteger("window");
    int uploadWindow = plan.get("upload").config().getInteger("window");
    long message = Math.min(plan.get("chunk").config().getInteger("batchBytes"), CHUNK) - 1 + CHUNK + 1;
    long blobs = (long) CHUNKERS * (sealWindow + 1) * message;
    long blocks = (long) (uploadWindow + 1) * blockLimit;
    return blobs + blocks;
  }

  /**
   * The longest a block can be: it is closed before a blob that would take it past {@link #BLOCK},
   * so at most the target and its header (an entry per blob, sealed) and trailer.
   */
  static int blockLimit(Repository r) {
    int blobsPerBlock = BLOCK / 4096 + 2;
    return BLOCK + r.newBlockWriter().maxOverhead() + blobsPerBlock * 128 + 4096;
  }

  @Test
  void slowDestination_heldBytesNeverExceedTheWindows_andBothDestinationsRestore(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Random random = new Random(14);
    for (int i = 0; i < 6; i++) { // incompressible: every byte read is held as read
      Files.write(src.resolve("f" + i + ".bin"), RepoFixture.bytes(random, (2 << 20) + i * 4099));
    }
    Repository.InitOptions small = new Repository.InitOptions("1700000000000", CipherSuite.AES_256_GCM,
        CompressionSetting.NONE, KeyType.PASSWORD, CHUNK, BLOCK, 1024, 1);
    Repository fast = Repository.init(new LocalStore(dir.resolve("fast")), small, RepoFixture.PASSWORD);
    Repository.initLike(new LocalStore(dir.resolve("slow")), fast, RepoFixture.PASSWORD);
    GatedStore gate = new GatedStore(new LocalStore(dir.resolve("slow")));
    Repository slow = Repository.open(gate, RepoFixture.PASSWORD);
    int blockLimit = blockLimit(fast);
    long bound = bound(vertx, blockLimit);

    LiveFlows live = LiveFlows.watch(vertx);
    HeldBytes held = new HeldBytes();
    List<JobLog.Line> lines = new ArrayList<>();
    BackupJob job = BackupJob.create(List.of(fast, slow), new BackupOptions(List.of(src), false, CHUNKERS,
        Clock.systemUTC()), RepoFixture.jobLog(lines));
    Future<List<BackupResult>> run = PipelineBackup.run(vertx, job, CHUNKERS, held);
    int stalls = 0;
    long fullest = 0;
    while (eventuallyGet(Duration.ofSeconds(30), () -> {
      assertTrue(run.isComplete() || gate.permits.hasQueuedThreads() && stalled(live),
          "the backup ends, or the slow destination waits with every chunker stalled");
      return !run.isComplete();
    })) {
      stalls++;
      fullest = Math.max(fullest, held.now());
      assertTrue(live.held().stream().anyMatch(h -> h.name().equals("b247.backup.*") && h.bytes() > 0),
          "the held bytes are a metric: " + live.held());
      gate.permits.release();
    }
    List<BackupResult> res = run.await();
    assertTrue(res.get(0).ok() && res.get(1).ok(), res + " " + lines);

    assertTrue(held.peak() <= bound, "held " + held.peak() + " bytes at most; the windows allow " + bound);
    int uploadWindow = VerticlesSpec.pipelineOf(vertx).get("upload").config().getInteger("window");
    assertTrue(job.packer().buffers() <= uploadWindow + 1, "block buffers (one filling, the rest being written): "
        + job.packer().buffers());
    assertTrue(stalls > 20, "the slow destination held the pipeline back at every block: " + stalls);
    assertTrue(fullest > 2L * BLOCK, "the stalled pipeline filled its windows: " + fullest + " bytes held");
    assertEquals(0, held.now(), "nothing held after the job");
    for (Store.StoredObject o : fast.store().list("blocks/")) {
      assertTrue(o.size() <= blockLimit, o.path() + " is longer than a block can be: " + o.size());
    }
    for (Repository r : List.of(fast, slow)) {
      Path target = dir.resolve("restore-" + r.store().name().hashCode());
      RepoFixture.assertRestoresAndChecks(r, target, src);
    }
  }

  /**
   * Every chunker is blocked on the sealer (no credit, its next blob waiting) or has nothing to read,
   * as the flows' metrics show them.
   */
  private static boolean stalled(LiveFlows live) {
    List<LiveFlows.Sample> samples = live.samples();
    for (int k = 0; k < CHUNKERS; k++) {
      String seal = "b247.backup.*.seal." + k;
      String chunk = "b247.backup.*.chunk." + k;
      boolean blocked = samples.stream().anyMatch(s -> s.flow().equals(seal) && s.side() == LiveFlows.Side.SENDER
          && s.credits() == 0 && s.waiting() == 1);
      boolean idle = samples.stream().anyMatch(s -> s.flow().equals(chunk) && s.side() == LiveFlows.Side.RECEIVER
          && s.waiting() == 0 && s.inHand() == 0);
      if (!blocked && !idle) {
        return false;
      }
    }
    return true;
  }
}
