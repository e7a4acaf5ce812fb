package au.com.backup247.agent.backup;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline CLI's early start: the walk begun before its job ({@link ScanAhead}) and the
 * destinations prepared while the driver starts ({@link BackupJob#prepareAhead}). What the walk logs
 * waits for the job that takes it over and is dropped when none does; a job that takes the walk over
 * backs up what a job walking itself does; the destinations are prepared once, and their locks are
 * released whether or not the driver ran the job.
 */
class ScanAheadTest {
  @TempDir
  Path dir;
  private Path src;
  private Path repoDir;
  private Repository repo;
  private final List<JobLog.Line> lines = new ArrayList<>();
  private final JobLog log = RepoFixture.jobLog(lines);

  @BeforeEach
  void setUp() throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(Files.createDirectories(src.resolve("a")).resolve("f.txt"), "one");
    Files.writeString(Files.createDirectories(src.resolve("b")).resolve("g.txt"), "two");
    // a FIFO is skipped with a warning: the walk's one line of log
    assertEquals(0, new ProcessBuilder("mkfifo", src.resolve("a").resolve("pipe").toString()).start().waitFor());
    repoDir = dir.resolve("repo");
    repo = RepoFixture.init(repoDir);
  }

  private static BackupOptions options(Path... sources) {
    return new BackupOptions(List.of(sources), false, 2, Clock.systemUTC());
  }

  private long warnings() {
    return lines.stream().filter(l -> l.level() == JobLog.Level.WARNING).count();
  }

  private List<Path> locks() throws Exception {
    Path locks = repoDir.resolve("locks");
    if (!Files.exists(locks)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(locks)) {
      return s.toList();
    }
  }

  @Test
  void theWalksLinesWaitForTheJobThatTakesItOver_thenComeOnce() {
    ScanAhead ahead = ScanAhead.start(options(src));
    JobStats stats = ahead.claim(); // as a job does
    eventually(Duration.ofSeconds(10), () -> assertTrue(stats.walkDone()));
    assertTrue(lines.isEmpty(), "nothing reaches a job's log before the job takes the walk over");
    ScanPrefetch walk = ahead.take(log);
    assertEquals(1, warnings(), lines.toString());
    assertTrue(lines.get(0).message().contains("pipe is not a file, folder or symlink"), lines.toString());
    int entries = 0;
    while (walk.next() != null) {
      entries++;
    }
    assertEquals(stats.entriesFound.get(), entries);
    assertEquals(1, warnings(), "each line once: " + lines);
    assertNull(ahead.take(RepoFixture.jobLog(new ArrayList<>())), "one job takes the walk over");
  }

  @Test
  void aWalkNoJobTookOver_isStoppedAndItsLinesDropped() {
    ScanAhead ahead = ScanAhead.start(options(src));
    JobStats stats = ahead.claim();
    eventually(Duration.ofSeconds(10), () -> assertTrue(stats.walkDone()));
    ahead.close();
    assertNull(ahead.take(log));
    assertTrue(lines.isEmpty(), lines.toString());
  }

  @Test
  void aJobThatTakesTheWalkOver_backsUpWhatAJobWalkingItselfDoes() throws Exception {
    List<BackupResult> first = StandaloneBackup.run(List.of(repo), options(src), RepoFixture.jobLog(new ArrayList<>()));
    assertTrue(first.get(0).ok(), first.toString());
    Files.writeString(src.resolve("b").resolve("g.txt"), "two, changed");
    BackupJob job = BackupJob.create(List.of(repo), log, ScanAhead.start(options(src)));
    List<BackupResult> second = StandaloneBackup.run(job);
    assertTrue(second.get(0).ok(), second + " " + lines);
    assertEquals(1, job.stats().filesChanged.get());
    assertEquals(first.get(0).stats().filesNew.get() - 1, job.stats().filesUnchanged.get());
    assertEquals(1, warnings(), "the walk's warning once, in the job's log: " + lines);
    assertEquals(job.stats().entriesFound.get(), first.get(0).stats().entriesFound.get());
    Files.delete(src.resolve("a").resolve("pipe")); // skipped, so not restored
    RepoFixture.assertRestoresAndChecks(repo, dir.resolve("restored"), src);
  }

  @Test
  void aWalkBelongsToOneJob() {
    ScanAhead ahead = ScanAhead.start(options(src));
    BackupJob.create(List.of(repo), log, ahead);
    assertThrows(IllegalStateException.class, () -> BackupJob.create(List.of(repo), log, ahead));
    ahead.close();
  }

  @Test
  void whenNoSourceExists_nothingIsWalkedAhead_andTheJobFailsAsBefore() throws Exception {
    Path missing = dir.resolve("missing");
    ScanAhead ahead = ScanAhead.start(options(missing));
    BackupJob job = BackupJob.create(List.of(repo), log, ahead);
    List<BackupResult> r = StandaloneBackup.run(job);
    ahead.close();
    assertFalse(r.get(0).ok());
    assertTrue(r.get(0).error().startsWith("nothing was backed up: the source folder " + missing), r.toString());
    assertEquals(1, job.stats().sourceErrors.get(), "counted once, by the job: " + lines);
    assertEquals(1, log.errors(), lines.toString());
    assertEquals(List.of(), repo.jobIds());
  }

  @Test
  void destinationsPreparedAhead_arePreparedOnce_andTheDriverRunsTheJob() throws Exception {
    BackupJob job = BackupJob.create(List.of(repo), log, ScanAhead.start(options(src)));
    job.prepareAhead();
    assertTrue(job.prepare(), lines.toString()); // waits for the one ahead, gives its answer
    String id = job.jobId();
    List<BackupResult> r = StandaloneBackup.run(job);
    job.settle();
    assertTrue(r.get(0).ok(), r + " " + lines);
    assertEquals(id, r.get(0).jobId());
    assertEquals(List.of(id), repo.jobIds());
    assertEquals(List.of(), locks());
  }

  @Test
  void locksTakenAhead_areReleased_whenTheDriverNeverRanTheJob() throws Exception {
    BackupJob job = BackupJob.create(List.of(repo), log, ScanAhead.start(options(src)));
    job.prepareAhead();
    job.settle(); // e.g. the pipeline's Vert.x did not start
    assertEquals(List.of(), locks());
    assertEquals(List.of(), repo.jobIds());
    job.settle(); // idempotent
  }

  @Test
  void aDestinationThatFailsWhilePreparedAhead_failsTheJobAsBefore_andKeepsNothing() throws Exception {
    // the locks folder replaced by a file: the repository opens, the job cannot lock it
    Path locks = repoDir.resolve("locks");
    if (Files.isDirectory(locks)) {
      Files.delete(locks);
    }
    Files.writeString(locks, "not a folder");
    List<BackupResult> expected = StandaloneBackup.run(List.of(repo), options(src),
        RepoFixture.jobLog(new ArrayList<>()));
    BackupJob job = BackupJob.create(List.of(repo), log, ScanAhead.start(options(src)));
    job.prepareAhead();
    List<BackupResult> r = StandaloneBackup.run(job);
    job.settle();
    assertFalse(expected.get(0).ok(), expected.toString());
    assertFalse(r.get(0).ok(), r.toString());
    String names = "[0-9]{4}(-[0-9]{2}){5}|locks/[^ ]+\\.lock"; // job ids and lock names differ
    assertEquals(expected.get(0).error().replaceAll(names, "N"), r.get(0).error().replaceAll(names, "N"));
    assertEquals("not a folder", Files.readString(locks));
    assertEquals(List.of(), repo.jobIds());
  }
}
