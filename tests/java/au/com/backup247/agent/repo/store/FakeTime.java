package au.com.backup247.agent.repo.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock for tests that moves only when something sleeps on it (or, with {@code advance=false},
 * not at all: every sleeper then starts "at the same instant", as concurrent transfers would).
 */
public final class FakeTime {
  private long nanos = 1_000_000_000L;
  private final boolean advance;
  public final List<Duration> sleeps = new ArrayList<>();

  public FakeTime(boolean advance) {
    this.advance = advance;
  }

  public synchronized long nanoTime() {
    return nanos;
  }

  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    if (advance) {
      nanos += d.toNanos();
    }
  }

  public synchronized double sleptSeconds() {
    return sleeps.stream().mapToLong(Duration::toNanos).sum() / 1e9;
  }

  public synchronized double longestSleepSeconds() {
    return sleeps.stream().mapToLong(Duration::toNanos).max().orElse(0) / 1e9;
  }

  public synchronized void reset() {
    sleeps.clear();
  }
}
