package au.com.backup247.agent.repo.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock for tests that moves only when something sleeps on it (or, with {@code advance=false},
 * not at all: every sleeper then starts "at the same instant", as concurrent transfers would).
 */
final class FakeTime {
  private long nanos = 1_000_000_000L;
  private final boolean advance;
  final List<Duration> sleeps = new ArrayList<>();

  FakeTime(boolean advance) {
    this.advance = advance;
  }

  synchronized long nanoTime() {
    return nanos;
  }

  synchronized void sleep(Duration d) {
    sleeps.add(d);
    if (advance) {
      nanos += d.toNanos();
    }
  }

  synchronized double sleptSeconds() {
    return sleeps.stream().mapToLong(Duration::toNanos).sum() / 1e9;
  }

  synchronized double longestSleepSeconds() {
    return sleeps.stream().mapToLong(Duration::toNanos).max().orElse(0) / 1e9;
  }

  synchronized void reset() {
    sleeps.clear();
  }
}
