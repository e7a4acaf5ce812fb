package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.repo.store.Sleeper;
import au.com.backup247.agent.repo.store.StoreException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code bytesPerSecond} on average, with bursts of up to {@code burstBytes}.
 * Thread-safe. Sharing one instance between several {@link ThrottledStore}s (shared mode) limits
 * their sum; giving each store its own (independent mode) limits each separately.
 *
 * <p>Callers reserve bytes and then wait outside the lock until the bucket has paid for them, so
 * concurrent callers queue fairly in reservation order and the long-run rate never exceeds the
 * limit. A reservation larger than the burst is allowed (the bucket goes into debt).
 */
public final class Bandwidth {
  private final long bytesPerSecond;
  private final long burstBytes;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final BandwidthPeriod period;
  private final java.time.Clock clock;
  private double tokens;
  private long last;

  /** A limiter on real time. */
  public Bandwidth(long bytesPerSecond, long burstBytes) {
    this(bytesPerSecond, burstBytes, System::nanoTime, Sleeper.SYSTEM);
  }

  /** A limiter on an injected clock and sleeper (tests). The bucket starts full. */
  public Bandwidth(long bytesPerSecond, long burstBytes, LongSupplier nanoTime, Sleeper sleeper) {
    this(bytesPerSecond, burstBytes, nanoTime, sleeper, null, java.time.Clock.systemUTC());
  }

  /**
   * A limiter that applies only within {@code period} (null: always), judged on {@code clock}:
   * outside it transfers pass at full speed and take nothing from the bucket.
   */
  public Bandwidth(long bytesPerSecond, long burstBytes, LongSupplier nanoTime, Sleeper sleeper,
      BandwidthPeriod period, java.time.Clock clock) {
    this.period = period;
    this.clock = Objects.requireNonNull(clock, "clock");
    if (bytesPerSecond <= 0 || burstBytes <= 0) {
      throw new IllegalArgumentException("bandwidth and burst must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.tokens = burstBytes;
    this.last = nanoTime.getAsLong();
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  public long burstBytes() {
    return burstBytes;
  }

  /** The period the limit applies in, or null when it always applies. */
  public BandwidthPeriod period() {
    return period;
  }

  /** The largest piece a throttled transfer should take at once. */
  int chunk() {
    return (int) Math.max(1, Math.min(64 * 1024, burstBytes));
  }

  /** Takes {@code bytes} from the bucket; returns how long the caller must wait, in nanoseconds. */
  synchronized long reserve(long bytes) {
    long now = nanoTime.getAsLong();
    if (now > last) {
      tokens = Math.min(burstBytes, tokens + (now - last) * (bytesPerSecond / 1e9));
      last = now;
    }
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / bytesPerSecond);
  }

  /**
   * Blocks until {@code bytes} may pass. An interrupt ends the wait with a permanent
   * {@link StoreException} (the interrupt flag stays set).
   */
  public void acquire(long bytes) {
    if (period != null && !period.active(clock.instant())) {
      return;
    }
    long wait = reserve(bytes);
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw StoreException.permanent("interrupted while waiting for bandwidth");
      }
    }
  }

  @Override
  public String toString() {
    return "Bandwidth[" + bytesPerSecond + " B/s, burst " + burstBytes + " B" + (period == null ? "" : ", " + period)
        + "]";
  }
}
