package au.com.backup247.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which firings in (lastEvaluated, now] run and which are reported as missed. */
class ScheduleDueTest {

  /** Expected: STATUS@name@instant, space separated, oldest first; "-" for none. Grace 5 min. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      down three days: only the last runs         | A=DAILY at 21:00 | UTC | 2025-01-01T00:00:00Z | 2025-01-04T21:02:00Z | MISSED@A@2025-01-01T21:00:00Z MISSED@A@2025-01-02T21:00:00Z MISSED@A@2025-01-03T21:00:00Z RUN@A@2025-01-04T21:00:00Z
      last firing past the grace is missed too    | A=DAILY at 21:00 | UTC | 2025-01-01T00:00:00Z | 2025-01-04T21:06:00Z | MISSED@A@2025-01-01T21:00:00Z MISSED@A@2025-01-02T21:00:00Z MISSED@A@2025-01-03T21:00:00Z MISSED@A@2025-01-04T21:00:00Z
      firing exactly at the grace edge runs       | A=DAILY at 21:00 | UTC | 2025-01-04T20:00:00Z | 2025-01-04T21:05:00Z | RUN@A@2025-01-04T21:00:00Z
      window includes now                         | A=DAILY at 21:00 | UTC | 2025-01-04T20:59:50Z | 2025-01-04T21:00:00Z | RUN@A@2025-01-04T21:00:00Z
      window excludes lastEvaluated               | A=DAILY at 21:00 | UTC | 2025-01-04T21:00:00Z | 2025-01-04T21:00:10Z | -
      clock set back gives nothing                | A=DAILY at 21:00 | UTC | 2025-01-05T00:00:00Z | 2025-01-04T21:00:00Z | -
      periodic down two hours                     | P=DAILY every 30m | UTC | 2025-01-04T10:00:00Z | 2025-01-04T12:01:00Z | MISSED@P@2025-01-04T10:30:00Z MISSED@P@2025-01-04T11:00:00Z MISSED@P@2025-01-04T11:30:00Z RUN@P@2025-01-04T12:00:00Z
      two schedules same instant ordered by name  | B=DAILY every 1h;A=DAILY at 21:00 | UTC | 2025-01-04T20:59:00Z | 2025-01-04T21:00:30Z | RUN@A@2025-01-04T21:00:00Z RUN@B@2025-01-04T21:00:00Z
      fall-back day fires once in Sydney          | A=DAILY at 02:30 | Australia/Sydney | 2025-04-05T12:00:00Z | 2025-04-06T12:00:00Z | MISSED@A@2025-04-05T15:30:00Z
      repeated hour in New York: first runs       | A=DAILY at 01:30 | America/New_York | 2025-11-02T05:29:00Z | 2025-11-02T05:30:00Z | RUN@A@2025-11-02T05:30:00Z
      repeated hour in New York: no second run    | A=DAILY at 01:30 | America/New_York | 2025-11-02T05:30:00Z | 2025-11-02T06:31:00Z | -
      spring-forward gap in New York still runs   | A=DAILY at 02:30 | America/New_York | 2025-03-09T06:59:00Z | 2025-03-09T07:00:00Z | RUN@A@2025-03-09T07:00:00Z
      weekly skips unselected days while down     | W=WEEKLY SAT at 21:00 | Australia/Sydney | 2025-01-01T00:00:00Z | 2025-01-18T10:01:00Z | MISSED@W@2025-01-04T10:00:00Z MISSED@W@2025-01-11T10:00:00Z RUN@W@2025-01-18T10:00:00Z
      """)
  void due(String description, String schedules, String zone, String last, String now, String expected) {
    List<Schedule> list = new ArrayList<>();
    for (String named : schedules.split(";")) {
      String[] p = named.split("=", 2);
      list.add(Specs.schedule(p[0], p[1]));
    }
    List<Due> due = new ScheduleEvaluator().due(list, ZoneId.of(zone), Instant.parse(last), Instant.parse(now));
    assertEquals(expected, render(due));
  }

  @Test
  void missedListing_keepsOnlyTheMostRecent() {
    ScheduleEvaluator e = new ScheduleEvaluator(Duration.ofMinutes(5), 2, Duration.ofDays(400));
    List<Due> due = e.due(List.of(Specs.schedule("P", "DAILY every 1m")), ZoneId.of("UTC"),
        Instant.parse("2025-01-04T10:00:00Z"), Instant.parse("2025-01-04T11:00:00Z"));
    assertEquals("MISSED@P@2025-01-04T10:58:00Z MISSED@P@2025-01-04T10:59:00Z RUN@P@2025-01-04T11:00:00Z",
        render(due));
  }

  @Test
  void lookback_cutsAVeryOldLastEvaluated() {
    ScheduleEvaluator e = new ScheduleEvaluator(Duration.ofMinutes(5), 100, Duration.ofDays(1));
    List<Due> due = e.due(List.of(Specs.schedule("A", "DAILY at 21:00")), ZoneId.of("UTC"),
        Instant.EPOCH, Instant.parse("2025-01-04T21:01:00Z"));
    assertEquals("RUN@A@2025-01-04T21:00:00Z", render(due));
  }

  @Test
  void customSchedule_isDueOnceOnly() {
    Schedule c = Specs.schedule("C", "CUSTOM 2020-03-31 at 21:00");
    ScheduleEvaluator e = new ScheduleEvaluator();
    ZoneId sydney = ZoneId.of("Australia/Sydney");
    assertEquals("RUN@C@2020-03-31T10:00:00Z", render(e.due(List.of(c), sydney,
        Instant.parse("2020-03-31T09:59:00Z"), Instant.parse("2020-03-31T10:00:00Z"))));
    assertEquals("-", render(e.due(List.of(c), sydney,
        Instant.parse("2020-03-31T10:00:00Z"), Instant.parse("2021-03-31T10:00:00Z"))));
  }

  @Test
  void disabledSchedule_isNeverDue() {
    Schedule s = Specs.schedule("A", "DAILY every 1m").withEnabled(false);
    assertEquals("-", render(new ScheduleEvaluator().due(List.of(s), ZoneId.of("UTC"),
        Instant.parse("2025-01-04T10:00:00Z"), Instant.parse("2025-01-04T11:00:00Z"))));
  }

  @ParameterizedTest(name = "stop {0} fired {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      3  | 2025-01-04T21:00:00Z | 2025-01-05T00:00:00Z
      24 | 2025-01-04T21:00:00Z | 2025-01-05T21:00:00Z
      3  | 2025-10-04T15:30:00Z | 2025-10-04T18:30:00Z
      0  | 2025-01-04T21:00:00Z | none
      """)
  void stopDeadline_isRealElapsedHours(int hours, String firedAt, String expected) {
    Schedule s = Specs.schedule("DAILY at 02:30");
    if (hours > 0) {
      s = s.withStop(new Stop.AfterHours(hours));
    }
    Optional<Instant> deadline = ScheduleEvaluator.stopDeadline(s, Instant.parse(firedAt));
    assertEquals(expected, deadline.map(Instant::toString).orElse("none"));
  }

  @Test
  void due_carriesTheStopDeadline() {
    Schedule s = Specs.schedule("A", "DAILY at 21:00").withStop(new Stop.AfterHours(2));
    Due d = new ScheduleEvaluator().due(List.of(s), ZoneId.of("UTC"), Instant.parse("2025-01-04T20:00:00Z"),
        Instant.parse("2025-01-04T21:00:00Z")).get(0);
    assertEquals(Optional.of(Instant.parse("2025-01-04T23:00:00Z")), d.stopDeadline());
  }

  private static String render(List<Due> due) {
    if (due.isEmpty()) {
      return "-";
    }
    return due.stream().map(d -> d.status() + "@" + d.schedule().name() + "@" + d.fireAt().toInstant())
        .collect(Collectors.joining(" "));
  }
}
