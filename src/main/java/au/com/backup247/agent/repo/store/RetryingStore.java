package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats operations that failed with a {@link StoreException.Kind#TRANSIENT} error, with
 * exponential backoff and full jitter: before retry {@code n} (1, 2, …) it waits a uniformly random
 * time in {@code [0, min(maxDelay, baseDelay · 2^(n-1)))}. It stops after {@link Policy#maxAttempts}
 * attempts or when the next wait would pass {@link Policy#maxElapsed} since the first attempt.
 *
 * <p>Permanent errors (and anything that is not a transient {@link StoreException}) are rethrown
 * at once, unchanged, so {@link NoSuchObjectException} stays catchable. When the attempts run out,
 * a transient {@link StoreException} names the operation, path, store and attempt count, with the
 * last error as its cause. Repeating is safe because of the contract: puts are idempotent and
 * deleting a missing object succeeds. A streamed put is repeated only when its stream supports
 * {@link InputStream#mark}; otherwise it gets one attempt. An interrupt while waiting ends the
 * operation with a permanent error (cancellation is not retried).
 */
public final class RetryingStore extends ForwardingStore {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingStore.class);

  /**
   * How long to keep trying.
   *
   * @param maxAttempts attempts in all, at least 1 (1 means no retry)
   * @param baseDelay the cap of the first wait
   * @param maxDelay the largest cap of any wait
   * @param maxElapsed no retry starts later than this after the first attempt
   */
  public record Policy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {
    /** 6 attempts, waits capped at 0.5 s, 1 s, 2 s, 4 s, 8 s (max 30 s), within 5 minutes. */
    public static final Policy DEFAULT = new Policy(6, Duration.ofMillis(500), Duration.ofSeconds(30),
        Duration.ofMinutes(5));

    public Policy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      Objects.requireNonNull(baseDelay, "baseDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
      Objects.requireNonNull(maxElapsed, "maxElapsed");
      if (baseDelay.isNegative() || maxDelay.isNegative() || maxElapsed.isNegative()) {
        throw new IllegalArgumentException("negative delay");
      }
    }
  }

  private final Policy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final LongSupplier nanoTime;

  /** Retries with {@link Policy#DEFAULT}. */
  public RetryingStore(Store inner) {
    this(inner, Policy.DEFAULT);
  }

  public RetryingStore(Store inner, Policy policy) {
    this(inner, policy, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(), System::nanoTime);
  }

  /**
   * For tests: {@code random} gives values in {@code [0, 1)}; {@code nanoTime} measures elapsed
   * time (a fake clock that the fake sleeper advances).
   */
  public RetryingStore(Store inner, Policy policy, Sleeper sleeper, DoubleSupplier random, LongSupplier nanoTime) {
    super(inner);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  public Policy policy() {
    return policy;
  }

  /** The cap of the wait before retry {@code n} (1-based): {@code min(maxDelay, base · 2^(n-1))}. */
  Duration cap(int retry) {
    long base = policy.baseDelay().toNanos();
    long max = policy.maxDelay().toNanos();
    int shift = Math.min(retry - 1, 62);
    long cap = base > (max >> shift) ? max : base << shift;
    return Duration.ofNanos(Math.min(cap, max));
  }

  /** The wait before retry {@code n}: full jitter, uniform in {@code [0, cap(n))}. */
  Duration delay(int retry) {
    double r = random.getAsDouble();
    if (r < 0 || r >= 1) {
      r = 0;
    }
    return Duration.ofNanos((long) (cap(retry).toNanos() * r));
  }

  private <T> T run(String op, String path, Supplier<T> call, Runnable beforeRetry) {
    long start = nanoTime.getAsLong();
    for (int attempt = 1;; attempt++) {
      StoreException failure;
      try {
        return call.get();
      } catch (StoreException e) {
        if (!e.isTransient()) {
          throw e;
        }
        failure = e;
      }
      long elapsed = nanoTime.getAsLong() - start;
      if (attempt >= policy.maxAttempts()) {
        throw gaveUp(op, path, attempt, elapsed, failure);
      }
      Duration wait = delay(attempt);
      if (elapsed + wait.toNanos() > policy.maxElapsed().toNanos()) {
        throw gaveUp(op, path, attempt, elapsed, failure);
      }
      LOG.info("{} {} on {}: attempt {} of {} failed ({}); retrying in {} ms", op, path, name(), attempt,
          policy.maxAttempts(), failure.getMessage(), wait.toMillis());
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        StoreException stop = StoreException.permanent("interrupted while retrying " + op + " " + path + " on "
            + name() + " after " + attempt + " attempts", failure);
        throw stop;
      }
      if (beforeRetry != null) {
        beforeRetry.run();
      }
    }
  }

  private StoreException gaveUp(String op, String path, int attempts, long elapsedNanos, StoreException last) {
    return StoreException.transientError(StoreException.cannot(op, path, name()) + " after " + attempts
        + (attempts == 1 ? " attempt" : " attempts") + " in " + String.format("%.1f", elapsedNanos / 1e9) + " s: "
        + last.getMessage(), last);
  }

  private void run(String op, String path, Runnable call) {
    run(op, path, () -> {
      call.run();
      return null;
    }, null);
  }

  @Override
  public void put(String path, byte[] data) {
    run("put", path, () -> inner.put(path, data));
  }

  @Override
  public void put(String path, byte[] data, int length) {
    run("put", path, () -> inner.put(path, data, length));
  }

  @Override
  public void put(String path, InputStream data, long length) {
    if (!data.markSupported() || length >= Integer.MAX_VALUE) {
      inner.put(path, data, length);
      return;
    }
    data.mark((int) length + 1);
    run("put", path, () -> {
      inner.put(path, data, length);
      return null;
    }, () -> {
      try {
        data.reset();
      } catch (IOException e) {
        throw StoreException.permanent("cannot put " + path + " on " + name() + ": cannot rewind the upload", e);
      }
    });
  }

  @Override
  public byte[] get(String path) {
    return run("get", path, () -> inner.get(path), null);
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    return run("get", path, () -> inner.get(path, offset, length), null);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return run("list", prefix, () -> inner.list(prefix), null);
  }

  @Override
  public List<String> folders(String folder) {
    return run("list", folder, () -> inner.folders(folder), null);
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    return run("stat", path, () -> inner.stat(path), null);
  }

  @Override
  public boolean exists(String path) {
    return run("stat", path, () -> inner.exists(path), null);
  }

  @Override
  public void delete(String path) {
    run("delete", path, () -> inner.delete(path));
  }
}
