package au.com.backup247.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data validation check (guide ch. 11.3) in the agent's pipeline with two destinations, one
 * of which silently loses the job's first block ({@link FaultyStore} over a real folder): only that
 * destination's job loses the files of the block, with warnings (so the agent reports "Completed
 * with warning(s)"); the other keeps everything; the next backup completes the first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineDataValidationTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void blockLostAtOneDestination_onlyItsJobLosesTheFiles(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Random r = new Random(5);
    for (int i = 0; i < 10; i++) {
      Files.write(src.resolve("f" + i + ".bin"), RepoFixture.bytes(r, 1 << 20));
    }
    Repository good = RepoFixture.init(dir.resolve("good"));
    Repository.initLike(new LocalStore(dir.resolve("lossy")), good, RepoFixture.PASSWORD);
    FaultyStore faulty = new FaultyStore(new LocalStore(dir.resolve("lossy")), 2)
        .script(FaultyStore.Op.PUT, "blocks/", FaultyStore.Fault.silentDrop());
    Repository lossy = Repository.open(faulty, RepoFixture.PASSWORD);

    List<JobLog.Line> lines = new ArrayList<>();
    JobLog log = RepoFixture.jobLog(lines);
    BackupJob job = BackupJob.create(List.of(good, lossy), new BackupOptions(List.of(src), false, 2,
        Clock.systemUTC()), log);
    List<BackupResult> res = PipelineBackup.run(vertx, job, 2).await();
    assertTrue(res.get(0).ok() && res.get(1).ok(), res.toString());
    assertTrue(log.warnings() > 0, "warnings make the agent's status \"Completed with warning(s)\"");
    List<String> removed = lines.stream().map(JobLog.Line::message)
        .filter(m -> m.contains(": file ") && m.contains(dir.resolve("lossy").toString())).toList();
    assertFalse(removed.isEmpty(), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.level() == JobLog.Level.WARNING
        && l.message().contains(dir.resolve("good").toString())), "the other destination is fine");

    int files = 10;
    assertEquals(files, History.load(good, null).current().keySet().stream().filter(p -> p.endsWith(".bin")).count());
    long kept = History.load(lossy, null).current().keySet().stream().filter(p -> p.endsWith(".bin")).count();
    assertEquals(files - removed.size(), kept);
    for (Repository repo : List.of(good, lossy)) {
      Checker.Report check = new Checker(repo).run(true);
      assertTrue(check.ok(), check.problems().toString());
    }

    List<BackupResult> next = RepoFixture.backup(src, RepoFixture.open(dir.resolve("good")),
        RepoFixture.open(dir.resolve("lossy")));
    assertTrue(next.get(0).ok() && next.get(1).ok(), next.toString());
    assertEquals(removed.size(), next.get(0).stats().filesNew.get(), "read again for the destination that lost them");
    for (String d : List.of("good", "lossy")) {
      Path out = dir.resolve("out-" + d);
      RepoFixture.restore(RepoFixture.open(dir.resolve(d)), out, null, false, new ArrayList<>());
      RepoFixture.assertSameTree(src, RepoFixture.under(out, src));
    }
  }
}
