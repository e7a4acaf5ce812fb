package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.repo.store.Sleeper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transfer rate as users write it, the one grammar of the CLI's {@code --bandwidth} and of a
 * backup set's bandwidth limits (guide ch. 9.5 "Bandwidth Control"; docs/SETS.md):
 *
 * <pre>
 * rate   = number [spaces] prefix kind ["/s"]      e.g. 8Mibit/s, 500kbit/s, 1MB/s, 1.5 MiB/s, 10Mbps
 * number = digits ["." digits]                     1, 10, 1.5 (no sign, no exponent)
 * prefix = "" | k (1000) | Ki (1024) | M (1000^2) | Mi (1024^2) | G (1000^3) | Gi (1024^3)
 *                                                  the prefix letter's case does not matter
 * kind   = "bit" (any case) or a lower-case "b"    bits: Mibit/s, kbit/s, MBIT/S, Mib/s
 *        | "B"                                     bytes: B/s, kB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s
 *        | "bps" (without "/s")                    bits: 10Mbps, 500kbps
 * "/s"   may be written "/S" or left out (2 MiB is 2 MiB/s)
 * </pre>
 *
 * The rate must come to at least 1 byte per second (8 bit/s); bits are rounded to whole bytes
 * (half up). A bare number is refused (bits or bytes? the unit must say), as are other units and
 * more than 2^61 bytes per second. A refusal is a {@link BandwidthException} whose message key
 * ({@code v.rate}, {@code v.rate.min}, {@code v.rate.max}) and arguments the caller puts under the
 * name of its field.
 *
 * @param bytesPerSecond the limit, at least 1 byte per second
 * @param text the rate in canonical form: the number without leading or trailing zeros, the unit
 *     spelled as in the list above ({@code 10Mibit/s}, {@code 1.5MiB/s}, {@code 10Mbps} gives
 *     {@code 10Mbit/s})
 */
public record Rate(long bytesPerSecond, String text) {
  /** The units, for messages. */
  public static final String UNITS = "bit/s, kbit/s, Kibit/s, Mbit/s, Mibit/s, Gbit/s, Gibit/s, B/s, kB/s, KiB/s, "
      + "MB/s, MiB/s, GB/s or GiB/s";
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*?)(bps|[bB][iI][tT]|b|B)"
      + "(/[sS])?");
  private static final Map<String, Long> PREFIX = Map.of("", 1L, "k", 1000L, "ki", 1024L, "m", 1000_000L,
      "mi", 1L << 20, "g", 1000_000_000L, "gi", 1L << 30);
  private static final Map<String, String> SPELLING = Map.of("", "", "k", "k", "ki", "Ki", "m", "M", "mi", "Mi",
      "g", "G", "gi", "Gi");

  public Rate {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be at least 1, got " + bytesPerSecond);
    }
  }

  /**
   * Parses a rate (blanks around it are ignored).
   *
   * @throws BandwidthException naming the bad value: not a number and a unit, too small or too large
   */
  public static Rate parse(String text) {
    String t = text == null ? "" : text.strip();
    Matcher m = RATE.matcher(t);
    String prefix = m.matches() ? m.group(2).toLowerCase(Locale.ROOT) : null;
    if (prefix == null || !PREFIX.containsKey(prefix) || ("bps".equals(m.group(3)) && m.group(4) != null)) {
      throw BandwidthException.of("v.rate", UNITS, text);
    }
    boolean bits = !"B".equals(m.group(3));
    BigDecimal number = new BigDecimal(m.group(1));
    BigDecimal bytes = number.multiply(BigDecimal.valueOf(PREFIX.get(prefix)));
    if (bits) {
      bytes = bytes.divide(BigDecimal.valueOf(8));
    }
    if (bytes.compareTo(BigDecimal.ONE) < 0) {
      throw BandwidthException.of("v.rate.min", text);
    }
    if (bytes.compareTo(BigDecimal.valueOf(1L << 61)) > 0) {
      throw BandwidthException.of("v.rate.max", text);
    }
    String canonical = number.stripTrailingZeros().toPlainString() + SPELLING.get(prefix) + (bits ? "bit/s" : "B/s");
    return new Rate(bytes.setScale(0, RoundingMode.HALF_UP).longValueExact(), canonical);
  }

  /** Burst size: a quarter second of traffic, at least 16 KiB (so small limits still move blocks in pieces). */
  public long burstBytes() {
    return Math.max(16 * 1024, bytesPerSecond / 4);
  }

  /** A new token bucket for this rate. */
  Bandwidth newBucket() {
    return new Bandwidth(bytesPerSecond, burstBytes());
  }

  /** A bucket that limits only within {@code period} (null: always). */
  Bandwidth newBucket(BandwidthPeriod period) {
    return period == null ? newBucket() : new Bandwidth(bytesPerSecond, burstBytes(), System::nanoTime,
        Sleeper.SYSTEM, period, Clock.systemUTC());
  }

  @Override
  public String toString() {
    return text + " (" + bytesPerSecond + " B/s)";
  }
}
