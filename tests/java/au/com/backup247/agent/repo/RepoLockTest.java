package au.com.backup247.agent.repo;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TEST-MATRIX R17, R18: one writer per repository; stale locks are taken over safely. */
class RepoLockTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);
  /** Refresh every 100 ms, watch a lock that looks stale for 300 ms. */
  static final RepoLock.Timing FAST = new RepoLock.Timing(Duration.ofMillis(100), Duration.ofMinutes(30),
      Duration.ofMillis(300));

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
    try (RepoLock lock = RepoLock.acquire(store, "mine", later, FAST)) { // and not refreshed while watched
      assertFalse(Files.exists(dir.resolve("locks/other-host-1-1.lock")), "stale lock not removed");
    }
  }

  private static Props lockOf(String host, long pid, String refreshed) {
    return new Props().put("host", host).put("pid", pid).put("job", "theirs").put("created", "2026-11-26T05:00:00Z")
        .put("refreshed", refreshed);
  }

  /** Issue 11, item 3 (R17, R18): a live process on this host keeps its lock, however long since its refresh. */
  @Test
  void liveProcessOnThisHost_isNeverStale_evenHoursAfterItsLastRefresh(@TempDir Path dir) throws Exception {
    LocalStore store = new LocalStore(dir);
    Process sleeper = new ProcessBuilder("sleep", "60").start(); // stands for a stopped or suspended writer
    try {
      store.put("locks/" + RepoLock.hostName() + "-" + sleeper.pid() + "-1.lock",
          lockOf(RepoLock.hostName(), sleeper.pid(), "2026-11-26T05:00:00Z").bytes());
      RepoException e = assertThrows(RepoException.class, () -> RepoLock.acquire(store, "mine", NOW, FAST));
      assertTrue(e.getMessage().contains("pid " + sleeper.pid()), e.getMessage());
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor();
    }
    try (RepoLock lock = RepoLock.acquire(store, "mine", NOW, FAST)) {
      assertEquals(1, store.list("locks/").size(), "the lock of the ended process is stale and removed");
    }
  }

  /** A pid now used by another process (its start time differs from the one in the lock) is stale. */
  @Test
  void reusedPid_isStale(@TempDir Path dir) throws Exception {
    LocalStore store = new LocalStore(dir);
    long pid = ProcessHandle.current().parent().orElseThrow().pid();
    store.put("locks/" + RepoLock.hostName() + "-" + pid + "-1.lock", lockOf(RepoLock.hostName(), pid,
        NOW.instant().toString()).put("pid.start", "2001-01-01T00:00:00Z").bytes());
    try (RepoLock lock = RepoLock.acquire(store, "mine", NOW, FAST)) {
      assertEquals(1, store.list("locks/").size());
    }
  }

  /** A lock of this very process that no RepoLock holds any more (its job died in-process) is stale. */
  @Test
  void lockOfThisProcess_notHeldAnyMore_isStale(@TempDir Path dir) {
    LocalStore store = new LocalStore(dir);
    long pid = ProcessHandle.current().pid();
    store.put("locks/" + RepoLock.hostName() + "-" + pid + "-dead.lock", lockOf(RepoLock.hostName(), pid,
        NOW.instant().toString()).bytes());
    try (RepoLock lock = RepoLock.acquire(store, "mine", NOW, FAST)) {
      assertEquals(1, store.list("locks/").size());
      assertThrows(RepoException.class, () -> RepoLock.acquire(store, "second in this process", NOW, FAST));
    }
  }

  /**
   * R16: another host's lock that looks stale by a clock set ten years ahead is watched first; its
   * holder refreshes it meanwhile, so it is not taken. The other host refreshes right after each read
   * of this writer (so during its watch), instead of on a timer of its own: a refreshing thread kept off
   * the processor for the whole watch on a busy machine would make the live lock look stale.
   */
  @Test
  void anotherHostsLock_stillRefreshed_isNotTaken_byAWriterWhoseClockIsFarAhead(@TempDir Path dir) {
    LocalStore local = new LocalStore(dir);
    String path = "locks/other-host-7-1.lock";
    local.put(path, lockOf("other-host", 7, NOW.instant().toString()).bytes());
    AtomicInteger refreshes = new AtomicInteger();
    Store store = new ForwardingStore(local) {
      @Override
      public byte[] get(String p) {
        byte[] seen = super.get(p);
        if (p.equals(path)) {
          local.put(path, lockOf("other-host", 7, NOW.instant().plusSeconds(refreshes.incrementAndGet()).toString())
              .bytes());
        }
        return seen;
      }
    };
    Clock ahead = Clock.offset(NOW, Duration.ofDays(3653));
    RepoException e = assertThrows(RepoException.class, () -> RepoLock.acquire(store, "mine", ahead, FAST));
    assertTrue(e.getMessage().contains("locked by other-host pid 7"), e.getMessage());
    assertTrue(refreshes.get() >= 2, "read before and after the watch: " + refreshes.get());
    assertEquals(1, local.list("locks/").size(), "the other host's lock is kept, this writer's removed");
  }

  /** A holder whose lock was removed (taken over) or can no longer be refreshed stops: check() fails. */
  @Test
  void holder_losesItsLock_whenItIsRemovedOrCannotBeRefreshed(@TempDir Path dir) throws Exception {
    LocalStore store = new LocalStore(dir);
    try (RepoLock lock = RepoLock.acquire(store, "mine", NOW, FAST)) {
      lock.check();
      store.delete(store.list("locks/").get(0).path());
      RepoException e = assertThrows(RepoException.class, lock::check);
      assertTrue(e.getMessage().contains("was removed by another writer") && e.getMessage().contains("stops"),
          e.getMessage());
    }
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
    au.com.backup247.agent.repo.store.Store failing = new au.com.backup247.agent.repo.store.ForwardingStore(store) {
      @Override
      public void put(String path, byte[] data) {
        if (broken.get()) {
          throw au.com.backup247.agent.repo.store.StoreException.transientError("put " + path + ": unreachable", null);
        }
        super.put(path, data);
      }
    };
    RepoLock.Timing quick = new RepoLock.Timing(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(40));
    try (RepoLock lock = RepoLock.acquire(failing, "mine", NOW, quick)) {
      broken.set(true);
      eventually(Duration.ofSeconds(5), () -> assertFalse(lock.held(), "the lock is still held"));
      RepoException e = assertThrows(RepoException.class, lock::check);
      assertTrue(e.getMessage().contains("could not be refreshed"), e.getMessage());
    }
  }
}
