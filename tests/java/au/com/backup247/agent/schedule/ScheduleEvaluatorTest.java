package au.com.backup247.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Next-firing tables. Every expected instant was worked out by hand from the zone rules:
 * Australia/Sydney AEDT +11 until 06-Apr-2025 03:00 (then AEST +10), AEST until 05-Oct-2025 02:00
 * (then AEDT +11); America/New_York EST -5 until 09-Mar-2025 02:00 (then EDT -4), EDT until
 * 02-Nov-2025 02:00 (then EST -5).
 */
class ScheduleEvaluatorTest {
  private final ScheduleEvaluator evaluator = new ScheduleEvaluator();

  @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      DAILY at 21:00                       | Australia/Sydney | 2025-01-10T00:00:00Z | 2025-01-10T10:00:00Z
      DAILY at 21:00                       | Australia/Sydney | 2025-01-10T10:00:00Z | 2025-01-11T10:00:00Z
      DAILY at 02:30                       | Australia/Sydney | 2025-10-04T12:00:00Z | 2025-10-04T16:00:00Z
      DAILY at 02:00                       | Australia/Sydney | 2025-10-04T12:00:00Z | 2025-10-04T16:00:00Z
      DAILY at 02:30                       | Australia/Sydney | 2025-10-04T16:00:00Z | 2025-10-05T15:30:00Z
      DAILY at 02:30                       | Australia/Sydney | 2025-04-05T10:00:00Z | 2025-04-05T15:30:00Z
      DAILY at 02:30                       | Australia/Sydney | 2025-04-05T15:30:00Z | 2025-04-06T16:30:00Z
      DAILY at 02:30                       | Australia/Sydney | 2025-04-05T16:00:00Z | 2025-04-06T16:30:00Z
      DAILY at 02:30                       | America/New_York | 2025-03-09T05:00:00Z | 2025-03-09T07:00:00Z
      DAILY at 02:30                       | America/New_York | 2025-03-09T07:00:00Z | 2025-03-10T06:30:00Z
      DAILY at 01:30                       | America/New_York | 2025-11-02T04:00:00Z | 2025-11-02T05:30:00Z
      DAILY at 01:30                       | America/New_York | 2025-11-02T05:30:00Z | 2025-11-03T06:30:00Z
      DAILY at 01:30                       | America/New_York | 2025-11-02T06:00:00Z | 2025-11-03T06:30:00Z
      WEEKLY SAT,SUN at 21:00              | Australia/Sydney | 2025-01-08T00:00:00Z | 2025-01-11T10:00:00Z
      WEEKLY SAT,SUN at 21:00              | Australia/Sydney | 2025-01-11T10:00:00Z | 2025-01-12T10:00:00Z
      WEEKLY SAT,SUN at 21:00              | Australia/Sydney | 2025-01-12T10:00:00Z | 2025-01-18T10:00:00Z
      MONTHLY LAST-FRIDAY at 20:00         | Australia/Sydney | 2025-01-01T00:00:00Z | 2025-01-31T09:00:00Z
      MONTHLY LAST-FRIDAY at 20:00         | Australia/Sydney | 2025-01-31T09:00:00Z | 2025-02-28T09:00:00Z
      MONTHLY FIRST-MONDAY at 09:00        | America/New_York | 2025-02-01T00:00:00Z | 2025-02-03T14:00:00Z
      MONTHLY SECOND-TUESDAY at 09:00      | UTC              | 2025-03-01T00:00:00Z | 2025-03-11T09:00:00Z
      MONTHLY FOURTH-THURSDAY at 10:00     | UTC              | 2025-11-01T00:00:00Z | 2025-11-27T10:00:00Z
      MONTHLY DAY-31 at 20:00              | UTC              | 2025-04-01T00:00:00Z | 2025-04-30T20:00:00Z
      MONTHLY DAY-31 at 20:00              | UTC              | 2025-04-30T20:00:00Z | 2025-05-31T20:00:00Z
      MONTHLY DAY-31 at 20:00              | UTC              | 2024-02-01T00:00:00Z | 2024-02-29T20:00:00Z
      MONTHLY DAY-31 at 20:00              | UTC              | 2025-02-01T00:00:00Z | 2025-02-28T20:00:00Z
      MONTHLY DAY-30 at 20:00              | UTC              | 2025-02-28T20:00:00Z | 2025-03-30T20:00:00Z
      MONTHLY LAST-DAY at 20:00            | UTC              | 2024-02-01T00:00:00Z | 2024-02-29T20:00:00Z
      MONTHLY DAY-1 at 00:00               | UTC              | 2025-03-15T00:00:00Z | 2025-04-01T00:00:00Z
      CUSTOM 2028-02-29 at 00:00           | UTC              | 2025-01-01T00:00:00Z | 2028-02-29T00:00:00Z
      CUSTOM 2028-02-29 at 00:00           | UTC              | 2028-02-29T00:00:00Z | none
      CUSTOM 2020-12-31 at 21:00           | Australia/Sydney | 2020-12-31T09:59:00Z | 2020-12-31T10:00:00Z
      DAILY every 30m                      | Australia/Sydney | 2025-01-10T00:10:00Z | 2025-01-10T00:30:00Z
      DAILY every 2h                       | Australia/Sydney | 2025-01-10T00:00:00Z | 2025-01-10T01:00:00Z
      DAILY every 1m                       | UTC              | 2025-01-01T00:00:30Z | 2025-01-01T00:01:00Z
      WEEKLY MON,TUE,WED,THU,FRI every 4h  | Australia/Sydney | 2025-01-10T11:00:00Z | 2025-01-12T13:00:00Z
      """)
  void nextFire(String spec, String zone, String after, String expected) {
    Optional<ZonedDateTime> fire = evaluator.nextFire(Specs.schedule(spec), ZoneId.of(zone), Instant.parse(after));
    assertEquals(expected, fire.map(f -> f.toInstant().toString()).orElse("none"));
  }

  @ParameterizedTest(name = "{0} in {1} after {2}")
  @CsvSource(delimiter = '|', textBlock = """
      DAILY every 2h  | Australia/Sydney | 2025-10-04T13:00:00Z | 2025-10-04T14:00:00Z 2025-10-04T16:00:00Z 2025-10-04T18:00:00Z 2025-10-04T20:00:00Z 2025-10-04T22:00:00Z 2025-10-05T00:00:00Z 2025-10-05T02:00:00Z 2025-10-05T04:00:00Z 2025-10-05T06:00:00Z 2025-10-05T08:00:00Z 2025-10-05T10:00:00Z 2025-10-05T12:00:00Z 2025-10-05T13:00:00Z 2025-10-05T15:00:00Z
      DAILY every 2h  | Australia/Sydney | 2025-04-05T12:00:00Z | 2025-04-05T13:00:00Z 2025-04-05T15:00:00Z 2025-04-05T17:00:00Z 2025-04-05T19:00:00Z 2025-04-05T21:00:00Z 2025-04-05T23:00:00Z 2025-04-06T01:00:00Z 2025-04-06T03:00:00Z 2025-04-06T05:00:00Z 2025-04-06T07:00:00Z 2025-04-06T09:00:00Z 2025-04-06T11:00:00Z 2025-04-06T13:00:00Z 2025-04-06T14:00:00Z 2025-04-06T16:00:00Z
      DAILY every 12h | America/New_York | 2025-11-02T03:00:00Z | 2025-11-02T04:00:00Z 2025-11-02T16:00:00Z 2025-11-03T04:00:00Z 2025-11-03T05:00:00Z 2025-11-03T17:00:00Z
      DAILY every 12h | America/New_York | 2025-03-09T04:00:00Z | 2025-03-09T05:00:00Z 2025-03-09T17:00:00Z 2025-03-10T04:00:00Z 2025-03-10T16:00:00Z
      DAILY at 02:30  | Australia/Sydney | 2025-10-03T00:00:00Z | 2025-10-03T16:30:00Z 2025-10-04T16:00:00Z 2025-10-05T15:30:00Z
      DAILY at 02:30  | Australia/Sydney | 2025-04-04T00:00:00Z | 2025-04-04T15:30:00Z 2025-04-05T15:30:00Z 2025-04-06T16:30:00Z
      DAILY at 02:30  | America/New_York | 2025-03-08T00:00:00Z | 2025-03-08T07:30:00Z 2025-03-09T07:00:00Z 2025-03-10T06:30:00Z
      DAILY at 01:30  | America/New_York | 2025-11-01T00:00:00Z | 2025-11-01T05:30:00Z 2025-11-02T05:30:00Z 2025-11-03T06:30:00Z
      """)
  void consecutiveFirings_acrossDaylightSaving(String spec, String zone, String after, String expected) {
    String[] want = expected.trim().split("\\s+");
    assertEquals(String.join(" ", want), String.join(" ", firings(spec, zone, Instant.parse(after), want.length)));
  }

  /**
   * A whole local day of a periodic schedule: the number of firings in [day start, next day
   * start) and the spacing (every gap equals the period: no double and no skipped run).
   */
  @ParameterizedTest(name = "{0} in {1} from {2}: {4} firings")
  @CsvSource(delimiter = '|', textBlock = """
      DAILY every 1h  | America/New_York | 2025-03-09T05:00:00Z | 2025-03-10T04:00:00Z | 23
      DAILY every 1h  | America/New_York | 2025-11-02T04:00:00Z | 2025-11-03T05:00:00Z | 25
      DAILY every 30m | Australia/Sydney | 2025-10-04T14:00:00Z | 2025-10-05T13:00:00Z | 46
      DAILY every 30m | Australia/Sydney | 2025-04-05T13:00:00Z | 2025-04-06T14:00:00Z | 50
      DAILY every 1m  | Australia/Sydney | 2025-04-05T13:00:00Z | 2025-04-06T14:00:00Z | 1500
      DAILY every 1h  | UTC              | 2025-04-05T00:00:00Z | 2025-04-06T00:00:00Z | 24
      """)
  void periodicDay_hasEvenlySpacedFirings(String spec, String zone, String dayStart, String nextDayStart, int count) {
    Schedule s = Specs.schedule(spec);
    Instant start = Instant.parse(dayStart);
    Instant end = Instant.parse(nextDayStart);
    List<Instant> fires = new ArrayList<>();
    Instant cursor = start.minusNanos(1);
    while (true) {
      Instant f = evaluator.nextFire(s, ZoneId.of(zone), cursor).orElseThrow().toInstant();
      if (!f.isBefore(end)) {
        assertEquals(end, f, "the next day starts again at local midnight");
        break;
      }
      fires.add(f);
      cursor = f;
    }
    assertEquals(count, fires.size());
    assertEquals(start, fires.get(0));
    long periodSeconds = ((Start.Every) s.start()).period().toSeconds();
    for (int i = 1; i < fires.size(); i++) {
      assertEquals(periodSeconds, fires.get(i).getEpochSecond() - fires.get(i - 1).getEpochSecond());
    }
  }

  @Test
  void disabledSchedule_neverFires() {
    Schedule s = Specs.schedule("DAILY at 21:00").withEnabled(false);
    assertEquals(Optional.empty(), evaluator.nextFire(s, ZoneId.of("UTC"), Instant.parse("2025-01-01T00:00:00Z")));
  }

  @Test
  void fireAt_carriesTheOffsetOfItsSideOfTheChange() {
    Schedule s = Specs.schedule("DAILY at 02:30");
    ZonedDateTime first = evaluator.nextFire(s, ZoneId.of("Australia/Sydney"),
        Instant.parse("2025-04-05T10:00:00Z")).orElseThrow();
    assertEquals("2025-04-06T02:30+11:00[Australia/Sydney]", first.toString());
  }

  private List<String> firings(String spec, String zone, Instant after, int n) {
    Schedule s = Specs.schedule(spec);
    List<String> out = new ArrayList<>();
    Instant cursor = after;
    for (int i = 0; i < n; i++) {
      Instant f = evaluator.nextFire(s, ZoneId.of(zone), cursor).orElseThrow().toInstant();
      out.add(f.toString());
      cursor = f;
    }
    return out;
  }
}
