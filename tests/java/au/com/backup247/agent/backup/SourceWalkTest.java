package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.under;
import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A walk started before its job's repositories are open (the offline CLI starts it first). */
class SourceWalkTest {
  @Test
  void aWalkStartedBeforeTheRepositoryIsOpen_walksMeanwhile_andItsJobBacksUpTheTreeExactly(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 4);
    RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    SourceWalk walk = SourceWalk.start(BackupOptions.of(List.of(src)), RepoFixture.jobLog(lines));
    eventually(Duration.ofSeconds(30), () -> assertTrue(walk.stats().walkDone(), "the walk ended before any job"));
    long found = walk.stats().entriesFound.get();
    assertTrue(found > 5, "entries found: " + found);

    Repository repo = RepoFixture.open(dir.resolve("repo"));
    List<BackupResult> results;
    try (StandaloneBackup pipeline = StandaloneBackup.start()) {
      results = pipeline.backup(List.of(repo), walk);
    }
    assertTrue(results.get(0).ok(), results.get(0).error());
    assertEquals(found, walk.stats().entriesFound.get(), "counted once");
    Manifest m = repo.manifest(repo.jobIds().get(0));
    assertEquals(found, m.stat("files.new"), "every entry the walk found is in the job");
    Path out = dir.resolve("out");
    RepoFixture.restore(RepoFixture.open(dir.resolve("repo")), out, null, false, new ArrayList<>());
    RepoFixture.assertSameTree(src, under(out, src));
  }

  @Test
  void noSourceExists_theWalkDoesNotStart_andTheJobFailsNamingTheSourceOnce(@TempDir Path dir) throws Exception {
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    SourceWalk walk = SourceWalk.start(BackupOptions.of(List.of(dir.resolve("nope"))), RepoFixture.jobLog(lines));
    List<BackupResult> results;
    try (StandaloneBackup pipeline = StandaloneBackup.start()) {
      results = pipeline.backup(List.of(repo), walk);
    }
    assertFalse(results.get(0).ok());
    assertEquals(1, lines.stream().filter(l -> l.level() == JobLog.Level.ERROR && l.message().contains("nope"))
        .count(), lines.toString());
    assertEquals(1, walk.stats().sourceErrors.get());
    assertTrue(Files.notExists(dir.resolve("repo/locks")) || Files.list(dir.resolve("repo/locks")).findAny().isEmpty(),
        "nothing locked");
  }
}
