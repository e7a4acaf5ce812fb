package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The next job removes temporary uploads that interrupted transfers left, after a day; nothing else. */
class TempCleanupTest {

  @Test
  void staleTemporaryUploadsGo_freshOnesAndObjectsStay(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    Path repoDir = dir.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    RepoFixture.backup(src, repo);

    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(25)));
    Path stale = repoDir.resolve("blocks/2026-01-01-00-00-00/ab.bak" + Store.TEMP_MARKER + "x1");
    Path fresh = repoDir.resolve("index/2026-01-01-00-00-00.idx" + Store.TEMP_MARKER + "x2");
    Files.createDirectories(stale.getParent());
    Files.write(stale, new byte[100]);
    Files.write(fresh, new byte[100]);
    Files.setLastModifiedTime(stale, old);
    Path config = repoDir.resolve("config");
    Files.setLastModifiedTime(config, old);

    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> r = StandaloneBackup.run(List.of(RepoFixture.open(repoDir)), new BackupOptions(
        List.of(src), false, 2, Clock.systemUTC()), RepoFixture.jobLog(lines));
    assertTrue(r.get(0).ok(), r.toString());
    assertFalse(Files.exists(stale), "older than a day: removed");
    assertTrue(Files.exists(fresh), "younger than a day: may still be uploading");
    assertTrue(Files.exists(config), "objects are never touched, however old");
    assertTrue(lines.stream().anyMatch(l -> l.message().startsWith("removed 1 temporary upload(s)")), lines.toString());
  }
}
