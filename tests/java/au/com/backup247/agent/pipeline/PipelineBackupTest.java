package au.com.backup247.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.config.VerticlesSpec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup stages as verticles: one read, three destinations written at once, one of them
 * failing on its first block (a fault-injecting store over a real folder); the two others restore
 * identical trees and pass a full check, and a standalone run (the offline CLI's embedded Vert.x)
 * continues the repositories the agent's Vert.x wrote.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineBackupTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private List<BackupResult> runPipeline(Path src, List<JobLog.Line> lines, Repository... repos) {
    BackupJob job = BackupJob.create(List.of(repos), new BackupOptions(List.of(src), false, 2,
        Clock.systemUTC()), RepoFixture.jobLog(lines));
    List<BackupResult> res = PipelineBackup.run(vertx, job, 2).await();
    assertTrue(vertx.deploymentIDs().isEmpty(), "the job's verticles are undeployed: " + vertx.deploymentIDs());
    return res;
  }

  @Test
  void oneRead_threeDestinations_oneFailing_othersComplete(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 11);
    for (int i = 0; i < 2400; i++) { // many small files: the scan window, and full FILE batches (256 KiB)
      Files.createDirectories(src.resolve("many/d" + (i % 7)));
      Files.writeString(src.resolve("many/d" + (i % 7) + "/f" + i), "small file " + i);
    }
    Repository a = RepoFixture.init(dir.resolve("a"));
    Repository.initLike(new LocalStore(dir.resolve("b")), a, RepoFixture.PASSWORD);
    Repository.initLike(new LocalStore(dir.resolve("c")), a, RepoFixture.PASSWORD);
    Repository b = RepoFixture.open(dir.resolve("b"));
    FaultyStore faulty = new FaultyStore(new LocalStore(dir.resolve("c")), 1)
        .script(FaultyStore.Op.PUT, FaultyStore.Fault.none(), FaultyStore.Fault.permanentError());
    Repository c = Repository.open(faulty, RepoFixture.PASSWORD);

    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> res = runPipeline(src, lines, a, b, c);
    assertTrue(res.get(0).ok(), res.toString());
    assertTrue(res.get(1).ok(), res.toString());
    assertFalse(res.get(2).ok());
    assertTrue(res.get(2).error().contains("could not be written"), res.get(2).error());
    assertTrue(res.get(0).stats().blocks.get() > 2, "several blocks: " + res.get(0).stats());
    assertEquals(0, c.jobIds().size(), "the failed destination has no job");

    for (Repository r : List.of(a, b)) {
      Path target = dir.resolve("restore-" + r.store().name().hashCode());
      RepoFixture.assertRestoresAndChecks(r, target, src);
    }

    // nothing changed (but the folders above the source, where restores went): nothing is read
    List<BackupResult> again = runPipeline(src, new ArrayList<>(), a, b);
    assertTrue(again.get(0).ok() && again.get(1).ok(), again.toString());
    assertEquals(0, again.get(0).stats().bytesRead.get());
    assertEquals(0, again.get(0).stats().filesNew.get());
    assertTrue(again.get(0).stats().filesUnchanged.get() > 2400, again.get(0).stats().toString());

    // the offline CLI's standalone run continues the same repositories
    Files.writeString(src.resolve("many/d0/f0"), "changed");
    List<BackupResult> standalone = RepoFixture.backup(src, a, b);
    assertTrue(standalone.get(0).ok() && standalone.get(1).ok(), standalone.toString());
    String last = a.jobIds().get(a.jobIds().size() - 1);
    assertEquals(List.of(src.resolve("many/d0/f0").toString()), a.segment(a.manifest(last)).added().stream()
        .map(v -> v.path()).filter(p -> p.startsWith(src.toString())).toList(), "only the changed file, under src");
    Path target = dir.resolve("restore-last");
    assertEquals(0, RepoFixture.restore(b, target, null, false, new ArrayList<>()).failed());
    RepoFixture.assertSameTree(src, RepoFixture.under(target, src));
  }

  /**
   * Each destination is prepared (lock, index, listing of its blocks) and committed (index,
   * validation, manifest) at the same time as the others, not after them: both stores list their
   * blocks only together, at a rendezvous that one destination alone never passes.
   */
  @Test
  void destinations_arePreparedAndCommittedAtOnce(@TempDir Path dir) throws Exception {
    Path src = treeAndTwoRepositories(dir);
    CyclicBarrier together = new CyclicBarrier(2);
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    Repository ra = Repository.open(new Rendezvous(new LocalStore(dir.resolve("a")), together, phases, "blocks/",
        true), RepoFixture.PASSWORD);
    Repository rb = Repository.open(new Rendezvous(new LocalStore(dir.resolve("b")), together, phases, "blocks/",
        true), RepoFixture.PASSWORD);

    List<BackupResult> res = runPipeline(src, new ArrayList<>(), ra, rb);
    assertTrue(res.get(0).ok() && res.get(1).ok(), res.toString());
    assertTrue(phases.size() >= 4, "both listed their blocks at the start and at the commit: " + phases);
    for (String r : List.of("a", "b")) {
      RepoFixture.assertRestoresAndChecks(RepoFixture.open(dir.resolve(r)), dir.resolve("restore-" + r), src);
    }
  }

  /**
   * The job id is chosen from every destination's jobs, listed at once: both stores list their
   * jobs only together, at a rendezvous that one destination alone never passes.
   */
  @Test
  void jobIds_areListedAtEveryDestinationAtOnce(@TempDir Path dir) throws Exception {
    Path src = treeAndTwoRepositories(dir);
    CyclicBarrier together = new CyclicBarrier(2);
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    Rendezvous a = new Rendezvous(new LocalStore(dir.resolve("a")), together, phases, "jobs/", false);
    Rendezvous b = new Rendezvous(new LocalStore(dir.resolve("b")), together, phases, "jobs/", false);
    Repository ra = Repository.open(a, RepoFixture.PASSWORD);
    Repository rb = Repository.open(b, RepoFixture.PASSWORD);
    a.atNextListingOnly();
    b.atNextListingOnly();

    List<BackupResult> res = runPipeline(src, new ArrayList<>(), ra, rb);
    assertTrue(res.get(0).ok() && res.get(1).ok(), res.toString());
    assertEquals(2, phases.size(), "both listed their jobs together: " + phases);
    assertEquals(ra.jobIds(), rb.jobIds(), "one job id at both");
  }

  /** A small tree in {@code dir/src} (returned) and two repositories alike in {@code dir/a} and {@code dir/b}. */
  private static Path treeAndTwoRepositories(Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    try (Repository a = RepoFixture.init(dir.resolve("a"))) {
      Repository.initLike(new LocalStore(dir.resolve("b")), a, RepoFixture.PASSWORD).close();
    }
    return src;
  }

  /**
   * A folder whose listings of one folder ({@code blocks/}, {@code jobs/}) wait until the other
   * destination lists its own: every listing, or only the next one.
   */
  private static final class Rendezvous extends ForwardingStore {
    private final CyclicBarrier together;
    private final List<String> phases;
    private final String folder;
    private final AtomicInteger meetings; // -1: at every listing, else at that many more

    /** Meets at every listing of {@code folder}, or (not {@code always}) only after {@link #atNextListingOnly}. */
    Rendezvous(Store inner, CyclicBarrier together, List<String> phases, String folder, boolean always) {
      super(inner);
      this.together = together;
      this.phases = phases;
      this.folder = folder;
      this.meetings = new AtomicInteger(always ? -1 : 0);
    }

    /** Waits for the other destination at the next listing of the folder, once. */
    void atNextListingOnly() {
      meetings.set(1);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      if (prefix.equals(folder) && meetings.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
        try {
          together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw StoreException.permanent("the other destination did not list its " + folder + " meanwhile: " + e);
        }
        phases.add(name());
      }
      return super.list(prefix);
    }
  }

  /**
   * Thousands of small files cost few messages: the scan stage hands them to the chunkers in batches
   * and the chunkers send their chunks to the sealer together (counted on the bus as they are sent),
   * and the tree restores byte for byte.
   */
  @Test
  void smallFiles_travelInBatches(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    int files = 3000;
    for (int i = 0; i < files; i++) {
      Files.createDirectories(src.resolve("d" + (i % 11)));
      Files.writeString(src.resolve("d" + (i % 11) + "/f" + i), "small file " + i + " ".repeat(i % 500));
    }
    Repository a = RepoFixture.init(dir.resolve("a"));
    Map<String, Integer> sent = new HashMap<>();
    vertx.eventBus().addOutboundInterceptor(m -> {
      String stage = m.message().address().replaceAll("^b247\\.backup\\.[^.]+\\.([a-z]+)\\.[0-9]+$", "$1");
      synchronized (sent) {
        sent.merge(stage, 1, Integer::sum);
      }
      m.next();
    });
    List<BackupResult> res = runPipeline(src, new ArrayList<>(), a);
    assertTrue(res.get(0).ok(), res.toString());
    assertTrue(res.get(0).stats().filesNew.get() >= files, res.get(0).stats().toString());
    int batches = sent.getOrDefault("chunk", 0);
    int blobs = sent.getOrDefault("seal", 0);
    assertTrue(batches > 0 && batches <= files / 100, "files to the chunkers in " + batches + " messages");
    assertTrue(blobs > 0 && blobs <= files / 100, "chunks to the sealer in " + blobs + " messages");
    RepoFixture.assertRestoresAndChecks(a, dir.resolve("restore"), src);
  }

  @Test
  void deploysTheStagesVerticlesJsonNames_withItsInstances(@TempDir Path dir) throws Exception {
    Path src = treeAndTwoRepositories(dir);
    Repository a = RepoFixture.open(dir.resolve("a"));
    Repository b = RepoFixture.open(dir.resolve("b"));

    Map<String, Integer> byDefault = deployed(src, 2, a, b);
    assertEquals(Map.of("upload", 2, "seal", 1, "chunk", 2, "scan", 1), byDefault, "chunk: the job's threads");

    JsonObject plan = new JsonObject(Files.readString(Path.of("verticles.json")));
    plan.getJsonArray("pipeline").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("name").equals("chunk")).forEach(e -> e.put("instances", 3));
    VerticlesSpec.install(vertx, VerticlesSpec.parse(plan.encode(), "changed verticles.json"));
    assertEquals(Map.of("upload", 2, "seal", 1, "chunk", 3, "scan", 1), deployed(src, 1, a, b));
  }

  private Map<String, Integer> deployed(Path src, int threads, Repository... repos) {
    BackupJob job = BackupJob.create(List.of(repos), new BackupOptions(List.of(src), false, threads,
        Clock.systemUTC()), RepoFixture.jobLog(new ArrayList<>()));
    Map<String, Integer> deployed = new HashMap<>();
    List<BackupResult> res = PipelineBackup.run(vertx, job, threads, deployed).await();
    assertTrue(res.stream().allMatch(BackupResult::ok), res.toString());
    return deployed;
  }
}
