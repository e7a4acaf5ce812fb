package au.com.backup247.agent.auth;

import java.util.List;
import java.util.Map;

/**
 * How often a login may be tried (docs/SECURITY.md §4, ASVS 2.2.1): a pure function of the
 * failures recorded per key in the last hour and the time now.
 *
 * <pre>
 *   key              free failures   then wait after the newest failure     hard limit per hour
 *   login:&lt;name&gt;      3               2^(n-3) s, at most 60 s               100
 *   ip:&lt;address&gt;      30              2^(n-30) s, at most 60 s              -
 *   device:&lt;id&gt;      3               2^(n-3) s, at most 60 s               10 (then the device is untrusted)
 *   2fa:&lt;user&gt;        3               2^(n-3) s, at most 60 s               100
 *   setup             3               2^(n-3) s, at most 60 s               100
 * </pre>
 *
 * A request refused by the throttle is answered 429 with {@code Retry-After} before any password is
 * checked, so it costs the attacker a request and the agent nothing, and it is not a failure itself.
 */
final class LoginThrottle {
  /** The window failures are counted in. */
  public static final long WINDOW_MS = 3_600_000L;
  static final int HARD_LIMIT = 100;
  static final int DEVICE_LIMIT = 10;
  static final long MAX_WAIT_MS = 60_000L;

  private LoginThrottle() {
  }

  /** How long to wait before the next attempt (0: now). */
  public record Verdict(long waitMs) {
    public boolean allowed() {
      return waitMs <= 0;
    }

    /** The Retry-After value in whole seconds (at least 1 when not allowed). */
    public long retryAfterSeconds() {
      return allowed() ? 0 : Math.max(1, (waitMs + 999) / 1000);
    }
  }

  /** Failures of each key (times, newest first) → the longest wait any key imposes. */
  public static Verdict check(Map<String, List<Long>> failures, long now) {
    long wait = 0;
    for (Map.Entry<String, List<Long>> e : failures.entrySet()) {
      wait = Math.max(wait, waitFor(e.getKey(), e.getValue(), now));
    }
    return new Verdict(wait);
  }

  /** Whether a trusted-device cookie with these failures (newest first) may still be used. */
  public static boolean deviceTrusted(List<Long> deviceFailures, long now) {
    return recent(deviceFailures, now) < DEVICE_LIMIT;
  }

  static long waitFor(String key, List<Long> times, long now) {
    int n = recent(times, now);
    if (n == 0) {
      return 0;
    }
    int free = key.startsWith("ip:") ? 30 : 3;
    if (!key.startsWith("ip:") && n >= HARD_LIMIT) {
      // the hundredth newest failure must leave the window first
      return Math.max(0, times.get(HARD_LIMIT - 1) + WINDOW_MS - now);
    }
    if (n < free) {
      return 0;
    }
    int exponent = Math.min(n - free, 16);
    long delay = Math.min(MAX_WAIT_MS, 1000L << exponent);
    return Math.max(0, times.get(0) + delay - now);
  }

  private static int recent(List<Long> times, long now) {
    int n = 0;
    for (long t : times) {
      if (t > now - WINDOW_MS) {
        n++;
      }
    }
    return n;
  }
}
