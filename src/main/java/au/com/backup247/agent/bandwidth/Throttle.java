package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.repo.store.Store;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Bandwidth control for the destinations of one command or job (guide ch. 9.5): off, one limit
 * shared by all of them ({@link Mode#SHARED}: their sum stays under it), or the same limit for each
 * separately ({@link Mode#INDEPENDENT}). Uploads and downloads of a destination draw from the same
 * bucket.
 */
public final class Throttle {

  private static final Throttle NONE = new Throttle(null, Mode.SHARED, null);

  private final Rate limit;
  private final Mode mode;
  private final Bandwidth shared;

  private final BandwidthPeriod period;
  /** For {@link #allOf}: the throttles applied one over the other; empty otherwise. */
  private final List<Throttle> all;

  private Throttle(Rate limit, Mode mode, BandwidthPeriod period) {
    this.limit = limit;
    this.mode = mode;
    this.period = period;
    this.shared = limit != null && mode == Mode.SHARED ? limit.newBucket(period) : null;
    this.all = List.of();
  }

  private Throttle(List<Throttle> all) {
    this.limit = null;
    this.mode = Mode.SHARED;
    this.period = null;
    this.shared = null;
    this.all = List.copyOf(all);
  }

  /**
   * Several limits at once (a backup set's named limits, guide ch. 9.5): a store is wrapped by each
   * in turn, so a transfer waits for every limit in force at the time — in effect the lowest one
   * whose period applies. {@link #limit()} of the result is empty; the parts keep their own modes.
   */
  public static Throttle allOf(List<Throttle> throttles) {
    List<Throttle> real = throttles.stream().filter(t -> t.limit != null || !t.all.isEmpty()).toList();
    return real.isEmpty() ? NONE : real.size() == 1 ? real.get(0) : new Throttle(real);
  }

  /** No limit. */
  public static Throttle none() {
    return NONE;
  }

  /** {@code limit} (null: no limit) applied in {@code mode}. */
  public static Throttle of(Rate limit, Mode mode) {
    return of(limit, mode, null);
  }

  /** {@code limit} applied in {@code mode}, only within {@code period} (null: always). */
  public static Throttle of(Rate limit, Mode mode, BandwidthPeriod period) {
    return limit == null ? NONE : new Throttle(limit, mode == null ? Mode.SHARED : mode, period);
  }

  public Optional<Rate> limit() {
    return Optional.ofNullable(limit);
  }

  public Mode mode() {
    return mode;
  }

  /** The bucket shared by every wrapped store (shared mode only). */
  public Optional<Bandwidth> shared() {
    return Optional.ofNullable(shared);
  }

  /** {@code store} limited by this throttle, or {@code store} itself when there is no limit. */
  public Store wrap(Store store) {
    if (!all.isEmpty()) {
      Store s = store;
      for (Throttle t : all) {
        s = t.wrap(s);
      }
      return s;
    }
    if (limit == null) {
      return store;
    }
    return new ThrottledStore(store, shared != null ? shared : limit.newBucket(period));
  }

  @Override
  public String toString() {
    if (!all.isEmpty()) {
      return all.stream().map(Throttle::toString).collect(Collectors.joining(" and "));
    }
    return limit == null ? "unlimited" : limit + " " + mode.name().toLowerCase(Locale.ROOT)
        + (period == null ? "" : " within " + period);
  }
}
