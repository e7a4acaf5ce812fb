package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The writer lock of a repository (FORMAT.md §8): {@code locks/<host>-<pid>-<nonce>.lock}, plain
 * properties {@code host}, {@code pid}, {@code pid.start} (when the process started, so a reused
 * pid is recognised), {@code job}, {@code created} and {@code refreshed}.
 *
 * <p><b>Stale</b> (TEST-MATRIX R16–R18): a lock of this host is stale only when its process is gone
 * (or the pid now belongs to a process started at another time; or, for this very process, no
 * {@code RepoLock} of it holds the lock any more): a live process's lock is never taken, however
 * long it went without a refresh (suspended, stopped, a hung mount). A lock of another host is
 * stale when it was not refreshed for {@link Timing#staleAfter()} by this host's clock <em>and</em> it
 * does not change while this host watches it for {@link Timing#watch()} (longer than the refresh
 * interval), so a clock set ahead here cannot make a live lock look stale.
 *
 * <p><b>Holding</b>: the lock is refreshed every {@link Timing#refreshEvery()}; each refresh first
 * reads it back. When it is gone or was changed (another writer judged it stale and took over), or
 * a refresh keeps failing for half of {@code staleAfter}, the lock is lost: {@link #check()} throws
 * from then on, and the holder must stop before writing anything that commits (a manifest, a
 * deletion). {@link #check()} also reads the lock itself, so a holder resumed after a stop learns it
 * before its next commit step rather than at the next refresh.
 */
public final class RepoLock implements AutoCloseable {
  /** Lock paths held by {@code RepoLock}s of this process (a lock of this pid not in here is stale). */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  /**
   * How often the holder refreshes, when another host's lock counts as stale, and how long a lock
   * that looks stale is watched for a refresh before it is taken over.
   */
  public record Timing(Duration refreshEvery, Duration staleAfter, Duration watch) {
    public static final Timing DEFAULT = new Timing(Duration.ofSeconds(60), Duration.ofMinutes(30),
        Duration.ofSeconds(90));

    public Timing {
      if (watch.compareTo(refreshEvery) <= 0 || staleAfter.compareTo(refreshEvery.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("watch must exceed refreshEvery and staleAfter be at least twice it");
      }
    }
  }

  public static final Duration STALE_AFTER = Timing.DEFAULT.staleAfter();
  private final Store store;
  private final String path;
  private final Props props;
  private final Clock clock;
  private final Timing timing;
  private final Thread refresher;
  private volatile boolean released;
  private volatile String lost;
  /** The bytes last written (what a read-back must find). */
  private volatile byte[] written;
  private volatile long refreshedNanos = System.nanoTime();

  private RepoLock(Store store, String path, Props props, Clock clock, Timing timing) {
    this.store = store;
    this.path = path;
    this.props = props;
    this.clock = clock;
    this.timing = timing;
    this.written = props.bytes();
    this.refresher = new Thread(this::refreshLoop, "b247-lock-refresh");
    this.refresher.setDaemon(true);
  }

  /** Takes the lock for {@code job}, or fails with "locked by <host> pid <n> since <time>". */
  public static RepoLock acquire(Store store, String job, Clock clock) {
    return acquire(store, job, clock, Timing.DEFAULT);
  }

  /** {@link #acquire(Store, String, Clock)} with other timings (tests). */
  public static RepoLock acquire(Store store, String job, Clock clock, Timing timing) {
    String host = hostName();
    ProcessHandle self = ProcessHandle.current();
    checkOthers(store, null, host, clock, timing);
    String now = Instant.now(clock).toString();
    String path = "locks/" + host + "-" + self.pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".lock";
    Props p = new Props().put("host", host).put("pid", self.pid()).put("job", job).put("created", now)
        .put("refreshed", now);
    startOf(self).ifPresent(t -> p.put("pid.start", t.toString()));
    HELD.add(path);
    try {
      store.put(path, p.bytes());
    } catch (RuntimeException e) {
      HELD.remove(path);
      throw e;
    }
    RepoLock lock = new RepoLock(store, path, p, clock, timing);
    try {
      checkOthers(store, path, host, clock, timing); // two writers that raced: the older lock wins
    } catch (RuntimeException e) {
      HELD.remove(path);
      store.delete(path);
      throw e;
    }
    lock.refresher.start();
    return lock;
  }

  private static void checkOthers(Store store, String own, String host, Clock clock, Timing timing) {
    for (Store.StoredObject o : store.list("locks/")) {
      if (o.path().equals(own) || !o.path().endsWith(".lock")) {
        continue;
      }
      byte[] seen = read(store, o.path());
      if (seen == null) {
        continue;
      }
      Props other = parse(seen, o.path());
      if (other == null || isStale(store, o.path(), seen, other, host, clock, timing)) {
        store.delete(o.path());
        continue;
      }
      if (own != null && !olderThanOwn(other, o.path(), store, own)) {
        continue;
      }
      throw new RepoException("repository " + store.name() + " is locked by " + other.get("host") + " pid "
          + other.get("pid") + " since " + other.get("created") + " (job " + other.get("job") + ")");
    }
  }

  private static byte[] read(Store store, String path) {
    try {
      return store.get(path);
    } catch (NoSuchObjectException e) {
      return null;
    }
  }

  /** The lock's properties; null when it cannot be read as a lock (treated as stale). */
  private static Props parse(byte[] data, String path) {
    try {
      Props p = Props.parse(new String(data, StandardCharsets.UTF_8), path);
      Long.parseLong(p.require("pid", path));
      Instant.parse(p.require("refreshed", path));
      p.require("host", path);
      return p;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean olderThanOwn(Props other, String otherPath, Store store, String own) {
    Props mine = Props.parse(new String(store.get(own), StandardCharsets.UTF_8), own);
    int c = other.get("created").compareTo(mine.get("created"));
    return c < 0 || (c == 0 && otherPath.compareTo(own) < 0);
  }

  private static boolean isStale(Store store, String path, byte[] seen, Props lock, String host, Clock clock,
      Timing timing) {
    if (host.equals(lock.get("host"))) {
      return !alive(path, lock);
    }
    Instant refreshed = Instant.parse(lock.get("refreshed"));
    if (!refreshed.plus(timing.staleAfter()).isBefore(Instant.now(clock))) {
      return false;
    }
    // by this clock it looks stale; a live holder refreshes within refreshEvery, whatever the clocks say
    try {
      TimeUnit.NANOSECONDS.sleep(timing.watch().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    byte[] again = read(store, path);
    return again != null && java.util.Arrays.equals(seen, again);
  }

  /** Whether the process that wrote a lock of this host still holds it. */
  static boolean alive(String path, Props lock) {
    long pid = Long.parseLong(lock.get("pid"));
    if (pid == ProcessHandle.current().pid()) {
      return HELD.contains(path); // this process: held by a live RepoLock, or left by a job that died
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    String start = lock.get("pid.start");
    Optional<Instant> actual = startOf(h.get());
    return start == null || actual.isEmpty() || actual.get().toString().equals(start); // else: the pid was reused
  }

  private static Optional<Instant> startOf(ProcessHandle h) {
    return h.info().startInstant().map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  /**
   * Fails with a message saying why when the lock was lost (removed or changed by another writer,
   * or not refreshed in time); reads the lock back first. Call before every step that commits.
   */
  public void check() {
    synchronized (this) { // not while the refresher is between its put and its record of it
      if (lost == null && !released) {
        verify();
      }
    }
    if (lost != null) {
      throw new RepoException(lost);
    }
  }

  /** Reads the lock back: it must hold what this holder last wrote. */
  private void verify() {
    byte[] now;
    try {
      now = read(store, path);
    } catch (RuntimeException e) {
      if (System.nanoTime() - refreshedNanos > timing.staleAfter().dividedBy(2).toNanos()) {
        lose("the lock " + path + " at " + store.name() + " could not be read or refreshed for "
            + timing.staleAfter().dividedBy(2).toMinutes() + " minutes (" + e.getMessage() + ")");
      }
      return;
    }
    if (now == null) {
      lose("the lock " + path + " at " + store.name() + " was removed by another writer (it judged it stale)");
    } else if (!java.util.Arrays.equals(now, written)) {
      Props p = parse(now, path);
      lose("the lock " + path + " at " + store.name() + " was changed by another writer"
          + (p == null ? "" : " (" + p.get("host") + " pid " + p.get("pid") + ")"));
    }
  }

  private void lose(String why) {
    if (lost == null) {
      lost = why + "; this job stops without committing anything, so another writer can work safely";
    }
  }

  /** Whether the lock is still held (not released, not lost). */
  public boolean held() {
    return !released && lost == null;
  }

  private void refreshLoop() {
    while (!released && lost == null) {
      try {
        TimeUnit.NANOSECONDS.sleep(timing.refreshEvery().toNanos());
      } catch (InterruptedException e) {
        return;
      }
      if (released) {
        return;
      }
      synchronized (this) {
        verify();
        if (lost != null) {
          return;
        }
        try {
          props.put("refreshed", Instant.now(clock).toString());
          byte[] next = props.bytes();
          store.put(path, next);
          written = next;
          refreshedNanos = System.nanoTime();
        } catch (RuntimeException e) {
          if (System.nanoTime() - refreshedNanos > timing.staleAfter().dividedBy(2).toNanos()) {
            lose("the lock " + path + " at " + store.name() + " could not be refreshed for "
                + timing.staleAfter().dividedBy(2).toMinutes() + " minutes (" + e.getMessage() + ")");
          }
        }
      }
    }
  }

  @Override
  public void close() {
    released = true;
    refresher.interrupt();
    HELD.remove(path);
    if (lost == null) {
      store.delete(path); // a lost lock may be another writer's by now: left alone
    }
  }

  /** This host's name as a lock carries it, in its file name as well: characters other than {@code A-Za-z0-9._-} become {@code _}. */
  static String hostName() {
    return HostName.local().replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
