package au.com.backup247.agent.bandwidth;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backup sets' Bandwidth Control (guide ch. 9.5) as the {@link Throttle} their jobs open their
 * destinations with, and the owner of the buckets that shared mode keeps between jobs. One instance
 * per agent, created by whoever starts the sets' backups and restores and handed to them.
 *
 * <p>Off: no limit. Every named limit applies, always or within its period (days and from/to in
 * {@code zone}, the agent's local time); when several are in force the lowest wins in effect.
 * Independent: each destination of each backup or restore gets its own bucket of the rate, and
 * nothing is kept here. Shared: one bucket per limit for all backups and restores of the set (the
 * guide's "all backup and restore operations are sharing the same assigned bandwidth"), kept here
 * from the first job that needs them until the set is deleted ({@link #forget}) or its bandwidth
 * settings change (the next job then gets new buckets and the old ones are dropped; a job already
 * running keeps the buckets it started with). At most one entry per set, whatever the number of jobs.
 */
public final class SetBuckets {
  private final ZoneId zone;
  private final ConcurrentHashMap<Long, Shared> shared = new ConcurrentHashMap<>();

  /** The shared throttle of one set, for the bandwidth settings it was made from. */
  private record Shared(BandwidthControl control, Throttle throttle) {
  }

  /** Periods in {@code zone}: the agent's time zone, the one its schedules use. */
  public SetBuckets(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** The throttle for set {@code setId} with bandwidth control {@code control} (null: off). */
  public Throttle throttle(long setId, BandwidthControl control) {
    if (control == null || !control.enabled() || control.limits().isEmpty()) {
      shared.remove(setId);
      return Throttle.none();
    }
    if (control.mode() == Mode.INDEPENDENT) {
      shared.remove(setId);
      return build(control, Mode.INDEPENDENT);
    }
    return shared.compute(setId, (id, s) -> s != null && s.control().equals(control) ? s
        : new Shared(control, build(control, Mode.SHARED))).throttle();
  }

  /** The zone the limits' periods are read in. */
  public ZoneId zone() {
    return zone;
  }

  /** Drops the buckets of set {@code setId} (deleted). */
  public void forget(long setId) {
    shared.remove(setId);
  }

  /** How many sets have shared buckets kept. */
  public int size() {
    return shared.size();
  }

  private Throttle build(BandwidthControl control, Mode mode) {
    List<Throttle> out = new ArrayList<>();
    for (BandwidthControl.Limit l : control.limits()) {
      BandwidthPeriod period = l.period() == null ? null
          : new BandwidthPeriod(l.period().days(), l.period().from(), l.period().to(), zone);
      out.add(Throttle.of(l.rate(), mode, period));
    }
    return Throttle.allOf(out);
  }
}
