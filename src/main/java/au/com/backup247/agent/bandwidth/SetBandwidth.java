package au.com.backup247.agent.bandwidth;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backup set's Bandwidth Control (guide ch. 9.5) as the {@link Throttle} its jobs open their
 * destinations with. Off: no limit. Every named limit applies, always or within its period (days
 * and from/to in the agent's local time); when several are in force the lowest wins in effect.
 * Independent: each destination of each backup or restore gets its own bucket of the rate.
 * Shared: one bucket per limit for all backups and restores of the set in this agent (the
 * guide's "all backup and restore operations are sharing the same assigned bandwidth"); the
 * buckets live as long as the agent, one per set and limit as configured.
 */
public final class SetBandwidth {
  /** Shared throttles by set and limit (a changed limit gets a new key, so it starts afresh). */
  private static final ConcurrentHashMap<String, Throttle> SHARED = new ConcurrentHashMap<>();

  private SetBandwidth() {
  }

  /** The throttle for set {@code setId} with bandwidth control {@code control} (null: off). */
  public static Throttle throttle(long setId, BandwidthControl control) {
    return throttle(setId, control, ZoneId.systemDefault());
  }

  public static Throttle throttle(long setId, BandwidthControl control, ZoneId zone) {
    if (control == null || !control.enabled() || control.limits().isEmpty()) {
      return Throttle.none();
    }
    List<Throttle> out = new ArrayList<>();
    for (BandwidthControl.Limit l : control.limits()) {
      Rate rate = l.rate();
      BandwidthPeriod period = l.period() == null ? null
          : new BandwidthPeriod(l.period().days(), l.period().from(), l.period().to(), zone);
      if (control.mode() == Mode.SHARED) {
        String key = setId + "|" + l.name() + "|" + rate.bytesPerSecond() + "|" + period;
        out.add(SHARED.computeIfAbsent(key, k -> Throttle.of(rate, Mode.SHARED, period)));
      } else {
        out.add(Throttle.of(rate, Mode.INDEPENDENT, period));
      }
    }
    return Throttle.allOf(out);
  }
}
