package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The writer lock of a repository (FORMAT.md §8): {@code locks/<host>-<pid>-<nonce>.lock}. A lock
 * is stale when its process is gone (same host) or it was not refreshed for {@link #STALE_AFTER}.
 */
public final class RepoLock implements AutoCloseable {
  public static final Duration STALE_AFTER = Duration.ofMinutes(30);
  static final Duration REFRESH_EVERY = Duration.ofSeconds(60);
  private final Store store;
  private final String path;
  private final Props props;
  private final Clock clock;
  private final Thread refresher;
  private volatile boolean released;

  private RepoLock(Store store, String path, Props props, Clock clock) {
    this.store = store;
    this.path = path;
    this.props = props;
    this.clock = clock;
    this.refresher = new Thread(this::refreshLoop, "b247-lock-refresh");
    this.refresher.setDaemon(true);
  }

  /** Takes the lock for {@code job}, or fails with "locked by <host> pid <n> since <time>". */
  public static RepoLock acquire(Store store, String job, Clock clock) {
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    checkOthers(store, null, host, clock);
    String now = Instant.now(clock).toString();
    String path = "locks/" + host + "-" + pid + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".lock";
    Props p = new Props().put("host", host).put("pid", pid).put("job", job).put("created", now).put("refreshed", now);
    store.put(path, p.bytes());
    RepoLock lock = new RepoLock(store, path, p, clock);
    try {
      checkOthers(store, path, host, clock); // two writers that raced: the older lock wins
    } catch (RepoException e) {
      store.delete(path);
      throw e;
    }
    lock.refresher.start();
    return lock;
  }

  private static void checkOthers(Store store, String own, String host, Clock clock) {
    for (Store.StoredObject o : store.list("locks/")) {
      if (o.path().equals(own) || !o.path().endsWith(".lock")) {
        continue;
      }
      Props other;
      try {
        other = Props.parse(new String(store.get(o.path()), java.nio.charset.StandardCharsets.UTF_8), o.path());
      } catch (NoSuchObjectException e) {
        continue;
      }
      if (isStale(other, host, clock)) {
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

  private static boolean olderThanOwn(Props other, String otherPath, Store store, String own) {
    Props mine = Props.parse(new String(store.get(own), java.nio.charset.StandardCharsets.UTF_8), own);
    int c = other.get("created").compareTo(mine.get("created"));
    return c < 0 || (c == 0 && otherPath.compareTo(own) < 0);
  }

  static boolean isStale(Props lock, String host, Clock clock) {
    try {
      if (host.equals(lock.get("host"))) {
        long pid = Long.parseLong(lock.get("pid"));
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
          return true;
        }
      }
      Instant refreshed = Instant.parse(lock.get("refreshed"));
      return refreshed.plus(STALE_AFTER).isBefore(Instant.now(clock));
    } catch (RuntimeException e) {
      return true; // unreadable lock: treat as stale rather than block forever
    }
  }

  private void refreshLoop() {
    while (!released) {
      try {
        Thread.sleep(REFRESH_EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      if (!released) {
        try {
          props.put("refreshed", Instant.now(clock).toString());
          store.put(path, props.bytes());
        } catch (RuntimeException e) {
          // next round tries again; a lock not refreshed for 30 minutes becomes stale
        }
      }
    }
  }

  @Override
  public void close() {
    released = true;
    refresher.interrupt();
    store.delete(path);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (Exception e) {
      return "localhost";
    }
  }
}
