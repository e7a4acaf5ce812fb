package au.com.backup247.agent.bandwidth;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Bandwidth control of a set (guide ch. 9.5; off by default): named limits, each always in force
 * or only within a weekly period. Independent: every backup and restore gets the rate; shared: all
 * of them share it (not with concurrent destinations, as the guide notes).
 *
 * @param enabled whether limits apply
 * @param mode independent or shared
 * @param limits the named limits
 */
public record BandwidthControl(boolean enabled, Mode mode, List<Limit> limits) {

  /** Off. */
  public static final BandwidthControl OFF = new BandwidthControl(false, Mode.INDEPENDENT, List.of());

  /**
   * When a limit is in force: on {@code days} from {@code from} until {@code to} (local time of the
   * profile); a {@code to} before {@code from} runs past midnight into the next day.
   */
  public record Period(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    public Period {
      days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * One named limit.
   *
   * @param name unique within the set
   * @param rate the maximum transfer rate
   * @param period when it applies, or null for always
   */
  public record Limit(String name, Rate rate, Period period) {
    public Limit {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(rate, "rate");
    }
  }

  public BandwidthControl {
    Objects.requireNonNull(mode, "mode");
    limits = List.copyOf(limits);
  }
}
