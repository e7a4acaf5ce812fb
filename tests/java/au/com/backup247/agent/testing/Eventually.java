package au.com.backup247.agent.testing;

import java.time.Duration;

/**
 * Waits for something to happen without guessing how long it takes: retries an assertion until it
 * passes or {@code timeout} is over, then fails with the last failure (its message says what was
 * awaited and what was seen). The pause between tries grows from 5 ms to 50 ms, so a quick
 * condition is seen at once and a slow one is not polled hard.
 *
 * <p>It proves that something happens, never that something does not: for that, wait for the event
 * that ends the window (a report, a log line) and then assert. An attempt that sees the awaited thing
 * can no longer happen (the process it watches ended) calls {@link #assertStill} to fail at once.
 */
public final class Eventually {
  private static final long FIRST_PAUSE_MS = 5;
  private static final long LONGEST_PAUSE_MS = 50;

  private Eventually() {
  }

  /** An assertion that may throw anything. */
  @FunctionalInterface
  public interface Attempt {
    void run() throws Exception;
  }

  /** An attempt that returns what it found when it passes. */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  /** Thrown by {@link #assertStill}: ends the wait at once instead of retrying. */
  public static final class Hopeless extends AssertionError {
    public Hopeless(String message) {
      super(message);
    }

    public Hopeless(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Inside an attempt: fails the wait at once, without retrying, when {@code condition} is false. */
  public static void assertStill(boolean condition, String message) {
    if (!condition) {
      throw new Hopeless(message);
    }
  }

  /** Runs {@code assertion} until it passes; after {@code timeout}, throws its last failure. */
  public static void eventually(Duration timeout, Attempt assertion) {
    eventuallyGet(timeout, () -> {
      assertion.run();
      return null;
    });
  }

  /**
   * Runs {@code probe} until it returns without throwing and returns its value; after {@code timeout},
   * throws its last failure.
   */
  public static <T> T eventuallyGet(Duration timeout, Probe<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MS;
    while (true) {
      try {
        return probe.get();
      } catch (AssertionError | Exception e) {
        if (e instanceof Hopeless) {
          throw (Hopeless) e;
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting", e);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new AssertionError("not within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
      pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
    }
  }
}
