package au.com.backup247.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupEngine;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.LocalStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One backup, its sealed blocks fanned out over the event bus to one uploader verticle per destination. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BusBackupTest {

  @Test
  void backupThroughUploaderVerticles_restoresFromEveryHealthyDestination(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 21);
    Repository a = RepoFixture.init(dir.resolve("a"));
    Repository b = Repository.initLike(new LocalStore(dir.resolve("b")), a, RepoFixture.PASSWORD);
    Repository c = Repository.initLike(new LocalStore(dir.resolve("c")), a, RepoFixture.PASSWORD);
    Files.writeString(dir.resolve("c/blocks"), "not a folder: this destination fails");
    Map<Repository, String> address = Map.of(a, "up.a", b, "up.b", c, "up.c");
    for (Map.Entry<Repository, String> e : address.entrySet()) {
      vertx.deployVerticle(new UploaderVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
          .setConfig(new JsonObject().put("address", e.getValue())
              .put("repo", ((LocalStore) e.getKey().store()).root().toString()))).await();
    }
    List<BusBlockSink> sinks = new ArrayList<>();
    BackupEngine.Options opts = new BackupEngine.Options(List.of(src), false, 2, Clock.systemUTC(), List.of(),
        BackupEngine.DedupScope.ALL, repo -> {
          BusBlockSink s = BusBlockSink.connect(vertx, address.get(repo));
          sinks.add(s);
          return s;
        });
    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupEngine.Result> results = new BackupEngine(List.of(a, b, c), opts, RepoFixture.jobLog(lines)).run();
    sinks.forEach(BusBlockSink::close);
    assertTrue(results.get(0).ok(), results.toString());
    assertTrue(results.get(1).ok(), results.toString());
    assertFalse(results.get(2).ok());
    assertTrue(results.get(2).error().contains("could not be written"), results.get(2).error());
    for (String name : new String[] {"a", "b"}) {
      var s = RepoFixture.restore(RepoFixture.open(dir.resolve(name)), dir.resolve("out-" + name), null, false,
          new ArrayList<>());
      assertEquals(0, s.failed());
      RepoFixture.assertSameTree(src, RepoFixture.under(dir.resolve("out-" + name), src));
    }
    assertTrue(RepoFixture.open(dir.resolve("c")).jobIds().isEmpty(), "the failed destination has no job");
  }
}
