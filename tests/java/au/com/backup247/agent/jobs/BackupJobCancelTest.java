package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.Item;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Repository;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackupJob#cancel}: the walk stops and nothing is committed. */
class BackupJobCancelTest {

  @Test
  void cancel_stopsTheWalk_andCommitsNothing(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    BackupJob job = BackupJob.create(List.of(repo), new BackupOptions(List.of(src), false, 1,
        Clock.systemUTC()), RepoFixture.jobLog(lines));
    assertTrue(job.prepare());
    Item first = job.scanner().next();
    assertNotNull(first);
    job.window().completed(first, first.isFile() ? null : job.scanner().storeEntry(first));

    job.cancel();

    assertNull(job.scanner().next());
    List<BackupResult> results = job.committer().commit();
    assertFalse(results.get(0).ok());
    assertEquals("cancelled", results.get(0).error());
    assertEquals(List.of(), RepoFixture.open(dir.resolve("repo")).jobIds());
  }
}
