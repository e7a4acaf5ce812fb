package au.com.backup247.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ScheduleEvaluator#due} walks days backwards while {@link ScheduleEvaluator#nextFire} walks
 * forwards; on random schedules, zones and windows (many spanning DST changes) both must list the
 * same firings, and every firing but the last must be missed.
 */
class ScheduleConsistencyTest {
  private static final List<String> SPECS = List.of("DAILY at 02:30", "DAILY at 01:30", "DAILY at 00:00",
      "DAILY at 23:59", "DAILY every 1m", "DAILY every 30m", "DAILY every 2h", "DAILY every 12h",
      "WEEKLY SUN,WED every 3h", "WEEKLY SAT at 02:15", "MONTHLY LAST-SUNDAY at 02:30", "MONTHLY DAY-31 at 03:00",
      "MONTHLY FIRST-DAY at 00:30", "CUSTOM 2025-10-05 at 02:30", "CUSTOM 2025-04-06 at 02:30");
  private static final List<String> ZONES = List.of("Australia/Sydney", "America/New_York", "UTC",
      "Australia/Lord_Howe", "America/Sao_Paulo", "Europe/London");

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 11, 19, 23, 42})
  void dueListsTheSameFiringsAsNextFire(long seed) {
    Random r = new Random(seed);
    ScheduleEvaluator e = new ScheduleEvaluator(Duration.ofMinutes(5), 1_000_000, Duration.ofDays(400));
    for (int round = 0; round < 60; round++) {
      Schedule s = Specs.schedule(SPECS.get(r.nextInt(SPECS.size())));
      ZoneId zone = ZoneId.of(ZONES.get(r.nextInt(ZONES.size())));
      Instant from = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(r.nextInt(365 * 24 * 3600));
      Instant now = from.plusSeconds(r.nextInt(r.nextBoolean() ? 3 * 3600 : 20 * 24 * 3600));
      List<String> expected = new ArrayList<>();
      Instant cursor = from;
      while (true) {
        Optional<Instant> f = e.nextFire(s, zone, cursor).map(z -> z.toInstant());
        if (f.isEmpty() || f.get().isAfter(now)) {
          break;
        }
        expected.add(f.get().toString());
        cursor = f.get();
      }
      List<Due> due = e.due(List.of(s), zone, from, now);
      String context = s + " " + zone + " " + from + ".." + now;
      assertEquals(expected, due.stream().map(d -> d.fireAt().toInstant().toString()).collect(Collectors.toList()),
          context);
      for (int i = 0; i + 1 < due.size(); i++) {
        assertEquals(Due.Status.MISSED, due.get(i).status(), context);
      }
    }
  }
}
