package au.com.backup247.agent.repo.store;

import java.time.Duration;

/** Waits; injectable so that retry, throttling and fault delays can be tested without real time. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps on the calling thread with {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> {
    long nanos = d.toNanos();
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  };

  void sleep(Duration duration) throws InterruptedException;
}
