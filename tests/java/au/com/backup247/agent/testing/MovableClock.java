package au.com.backup247.agent.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test sets or moves; safe to read from the agent's threads. {@code new MovableClock(t)}
 * stands still at {@code t} until moved; {@link #ticking()} is the real time, moved by the offset the
 * test gives it (a clock set back or ahead while time goes on).
 */
public final class MovableClock extends Clock {
  private final Clock base;
  private volatile Duration offset = Duration.ZERO;

  public MovableClock(Instant now) {
    this(Clock.fixed(now, ZoneOffset.UTC));
  }

  private MovableClock(Clock base) {
    this.base = base;
  }

  /** The real time plus an offset, zero at first. */
  public static MovableClock ticking() {
    return new MovableClock(Clock.systemUTC());
  }

  /** Now is {@code t} (on a ticking clock, time goes on from there). */
  public void set(Instant t) {
    offset = Duration.between(base.instant(), t);
  }

  public void advance(Duration d) {
    offset = offset.plus(d);
  }

  /** The clock reads the real (or fixed) time plus {@code d}. */
  public void setOffset(Duration d) {
    offset = d;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset);
  }
}
