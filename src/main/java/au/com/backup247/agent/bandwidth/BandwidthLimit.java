package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.repo.store.Sleeper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transfer rate limit as users write it (guide ch. 9.5 "Bandwidth Control"): a number and a unit,
 * such as {@code 10Mibit/s}, {@code 500Kibit/s}, {@code 2MB/s} or {@code 1.5 Gbit/s}.
 *
 * <p>Units: {@code bit/s}, {@code kbit/s} (1000), {@code Kibit/s} (1024), {@code Mbit/s},
 * {@code Mibit/s}, {@code Gbit/s}, {@code Gibit/s}; {@code B/s}, {@code kB/s} (1000), {@code KiB/s}
 * (1024), {@code MB/s}, {@code MiB/s}, {@code GB/s}, {@code GiB/s}. The {@code /s} may be left out,
 * {@code bps}/{@code kbps}/{@code Mbps} and a lower-case {@code b} ({@code Mib/s}) mean bits, the
 * prefix letter's case does not matter, but {@code b} (bit) and {@code B} (byte) are different; a
 * bare number is refused.
 *
 * @param bytesPerSecond the limit, at least 1 byte per second
 * @param text the rate as written
 */
public record BandwidthLimit(long bytesPerSecond, String text) {
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)(/s)?");
  private static final Map<String, Long> PREFIX = Map.of("", 1L, "k", 1000L, "ki", 1024L, "m", 1000_000L,
      "mi", 1L << 20, "g", 1000_000_000L, "gi", 1L << 30);

  public BandwidthLimit {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bandwidth must be at least 1 byte per second");
    }
  }

  /**
   * Parses a rate.
   *
   * @throws BandwidthException naming the bad number or unit
   */
  public static BandwidthLimit parse(String text) {
    if (text == null || text.isBlank()) {
      throw new BandwidthException("bandwidth is empty: give a rate such as 10Mibit/s or 2MB/s");
    }
    String t = text.strip();
    Matcher m = RATE.matcher(t);
    if (!m.matches()) {
      throw new BandwidthException("bad bandwidth \"" + text + "\": give a number and a unit, such as 10Mibit/s, "
          + "500Kibit/s or 2MB/s");
    }
    String unit = m.group(2);
    boolean bits;
    String prefix;
    if (unit.endsWith("bps") && m.group(3) == null) {
      bits = true; // 10Mbps, 500kbps
      prefix = unit.substring(0, unit.length() - 3);
    } else if (unit.endsWith("bit")) {
      bits = true;
      prefix = unit.substring(0, unit.length() - 3);
    } else if (unit.endsWith("b")) {
      bits = true; // Mib/s, kb/s: a lower-case b is a bit
      prefix = unit.substring(0, unit.length() - 1);
    } else if (unit.endsWith("B")) {
      bits = false;
      prefix = unit.substring(0, unit.length() - 1);
    } else if (unit.isEmpty()) {
      throw new BandwidthException("bad bandwidth \"" + text + "\": the unit is missing (such as Mibit/s or MB/s)");
    } else {
      throw badUnit(text, unit);
    }
    Long factor = PREFIX.get(prefix.toLowerCase(Locale.ROOT));
    if (factor == null) {
      throw badUnit(text, unit);
    }
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
    if (bits) {
      bytes = bytes.divide(BigDecimal.valueOf(8), 0, RoundingMode.HALF_UP);
    }
    bytes = bytes.setScale(0, RoundingMode.HALF_UP);
    if (bytes.signum() <= 0) {
      throw new BandwidthException("bad bandwidth \"" + text + "\": must be at least 1 byte per second");
    }
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 4)) > 0) {
      throw new BandwidthException("bad bandwidth \"" + text + "\": too large");
    }
    return new BandwidthLimit(bytes.longValueExact(), t);
  }

  private static BandwidthException badUnit(String text, String unit) {
    return new BandwidthException("bad bandwidth \"" + text + "\": unknown unit \"" + unit + "\" (bit/s, kbit/s, "
        + "Kibit/s, Mbit/s, Mibit/s, Gbit/s, Gibit/s, B/s, kB/s, KiB/s, MB/s, MiB/s, GB/s or GiB/s)");
  }

  /** Burst size: a quarter second of traffic, at least 16 KiB (so small limits still move blocks in pieces). */
  public long burstBytes() {
    return Math.max(16 * 1024, bytesPerSecond / 4);
  }

  /** A new token bucket for this limit. */
  public Bandwidth newBucket() {
    return new Bandwidth(bytesPerSecond, burstBytes());
  }

  /** A bucket that limits only within {@code period} (null: always). */
  public Bandwidth newBucket(BandwidthPeriod period) {
    return period == null ? newBucket() : new Bandwidth(bytesPerSecond, burstBytes(), System::nanoTime,
        Sleeper.SYSTEM, period, java.time.Clock.systemUTC());
  }

  @Override
  public String toString() {
    return text + " (" + bytesPerSecond + " B/s)";
  }
}
