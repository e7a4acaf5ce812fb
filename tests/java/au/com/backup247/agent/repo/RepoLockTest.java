package au.com.backup247.agent.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TEST-MATRIX R17, R18: one writer per repository; stale locks are taken over safely. */
class RepoLockTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void secondWriter_isRefusedNamingHostPidAndTime(@TempDir Path dir) {
    LocalStore store = new LocalStore(dir);
    try (RepoLock first = RepoLock.acquire(store, "job-1", NOW)) {
      RepoException e = assertThrows(RepoException.class, () -> RepoLock.acquire(store, "job-2", NOW));
      assertTrue(e.getMessage().matches(".*is locked by \\S+ pid " + ProcessHandle.current().pid()
          + " since 2026-11-26T08:00:00Z \\(job job-1\\)"), e.getMessage());
    }
    try (RepoLock again = RepoLock.acquire(store, "job-3", NOW)) {
      assertEquals(1, store.list("locks/").size());
    }
    assertEquals(0, store.list("locks/").size(), "released lock left behind");
  }

  @Test
  void lockOfADeadProcessOnThisHost_isStale(@TempDir Path dir) throws Exception {
    LocalStore store = new LocalStore(dir);
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long deadPid = p.pid();
    Props dead = new Props().put("host", RepoLock.hostName()).put("pid", deadPid).put("job", "old")
        .put("created", "2026-11-26T07:59:00Z").put("refreshed", "2026-11-26T07:59:50Z");
    store.put("locks/" + RepoLock.hostName() + "-" + deadPid + "-1.lock", dead.bytes());
    try (RepoLock lock = RepoLock.acquire(store, "new", NOW)) {
      assertEquals(1, store.list("locks/").size());
    }
  }

  @Test
  void lockOfAnotherHost_isHonouredUntilItStopsBeingRefreshed(@TempDir Path dir) {
    LocalStore store = new LocalStore(dir);
    Props other = new Props().put("host", "other-host").put("pid", 1).put("job", "theirs")
        .put("created", "2026-11-26T07:00:00Z").put("refreshed", "2026-11-26T07:45:00Z");
    store.put("locks/other-host-1-1.lock", other.bytes());
    RepoException e = assertThrows(RepoException.class, () -> RepoLock.acquire(store, "mine", NOW));
    assertTrue(e.getMessage().contains("locked by other-host pid 1 since 2026-11-26T07:00:00Z"), e.getMessage());
    Clock later = Clock.offset(NOW, Duration.ofMinutes(16)); // 31 minutes after the last refresh
    try (RepoLock lock = RepoLock.acquire(store, "mine", later)) {
      assertFalse(Files.exists(dir.resolve("locks/other-host-1-1.lock")), "stale lock not removed");
    }
  }
}
