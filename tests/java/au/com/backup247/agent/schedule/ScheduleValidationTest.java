package au.com.backup247.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding and validation name the offending field and the allowed values. */
class ScheduleValidationTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"name":"A","type":"daily","every":"7m"}                                    | schedules[0].every          | 1 minute, 2 minutes, 3 minutes, 4 minutes, 5 minutes, 6 minutes, 10 minutes, 12 minutes, 30 minutes, 1 hour, 2 hours
      {"name":"A","type":"daily","every":"15m"}                                   | schedules[0].every          | must be one of
      {"name":"A","type":"daily","every":"24h"}                                   | schedules[0].every          | 12 hours
      {"name":"A","type":"daily","every":"soon"}                                  | schedules[0].every          | written as
      {"name":"A","type":"daily","at":"21:00","stopAfterHours":25}                | schedules[0].stopAfterHours | 1..24
      {"name":"A","type":"daily","at":"21:00","stopAfterHours":0}                 | schedules[0].stopAfterHours | 1..24
      {"name":"A","type":"daily","every":"1h","stopAfterHours":2}                 | schedules[0].stopAfterHours | not supported for periodic
      {"name":"A","type":"weekly","at":"21:00"}                                   | schedules[0].weekdays       | at least one
      {"name":"A","type":"weekly","weekdays":["funday"],"at":"21:00"}             | schedules[0].weekdays[0]    | day name
      {"name":"A","type":"daily","weekdays":["mon"],"at":"21:00"}                 | schedules[0].weekdays       | only allowed for weekly
      {"name":"A","type":"monthly","at":"20:00"}                                  | schedules[0].monthDay       | is required
      {"name":"A","type":"monthly","monthDay":{"day":32},"at":"20:00"}            | schedules[0].monthDay.day   | 1..31 or "last"
      {"name":"A","type":"monthly","monthDay":{"day":0},"at":"20:00"}             | schedules[0].monthDay.day   | 1..31 or "last"
      {"name":"A","type":"monthly","monthDay":{"ordinal":"fifth","weekday":"friday"},"at":"20:00"} | schedules[0].monthDay.ordinal | first, second, third, fourth, last
      {"name":"A","type":"monthly","monthDay":{"ordinal":"last","weekday":"payday"},"at":"20:00"}  | schedules[0].monthDay.weekday | monday..sunday
      {"name":"A","type":"monthly","monthDay":{"day":1},"every":"30m"}            | schedules[0].every          | only allowed for daily and weekly
      {"name":"A","type":"custom","every":"30m","date":"2026-01-01"}              | schedules[0].every          | only allowed for daily and weekly
      {"name":"A","type":"custom","at":"00:00"}                                   | schedules[0].date           | required for custom
      {"name":"A","type":"custom","date":"2027-02-29","at":"00:00"}               | schedules[0].date           | real date
      {"name":"A","type":"daily","date":"2026-01-01","at":"00:00"}                | schedules[0].date           | only allowed for custom
      {"name":"A","type":"daily","at":"25:00"}                                    | schedules[0].at             | HH:MM
      {"name":"A","type":"daily","at":"21:00:30"}                                 | schedules[0].at             | HH:MM
      {"name":"A","type":"daily","at":"21:00","every":"1h"}                       | schedules[0].at             | exactly one
      {"name":"A","type":"daily"}                                                 | schedules[0].at             | exactly one
      {"name":" ","type":"daily","at":"21:00"}                                    | schedules[0].name           | not be blank
      {"type":"daily","at":"21:00"}                                               | schedules[0].name           | required
      {"name":"A","type":"hourly","at":"21:00"}                                   | schedules[0].type           | daily, weekly, monthly, custom
      {"name":"A","type":"daily","at":"21:00","colour":"red"}                     | schedules[0].colour         | not a schedule setting
      {"name":"A","type":"daily","at":"21:00","enabled":"yes"}                    | schedules[0].enabled        | true or false
      {"name":"A","type":"monthly","monthDay":{"ordinal":"last","weekday":"friday","day":3},"at":"20:00"} | schedules[0].monthDay.day | not part of an ordinal day
      """)
  void decode_namesTheField(String json, String field, String messagePart) {
    Decoded<Schedule> d = ScheduleJson.decode(new JsonObject(json), "schedules[0]");
    assertTrue(d.value().isEmpty());
    List<FieldError> matching = d.errors().stream().filter(e -> e.field().equals(field)).toList();
    assertEquals(1, matching.size(), "errors: " + d.errors());
    assertTrue(matching.get(0).message().contains(messagePart), matching.get(0).message());
  }

  @Test
  void decode_reportsEveryProblemAtOnce() {
    Decoded<Schedule> d = ScheduleJson.decode(
        new JsonObject("{\"name\":\"\",\"type\":\"daily\",\"every\":\"7m\",\"stopAfterHours\":30}"), "s");
    assertEquals(List.of("s.every", "s.name", "s.stopAfterHours", "s.stopAfterHours"),
        d.errors().stream().map(FieldError::field).sorted().collect(Collectors.toList()));
  }

  /** The guide's example schedules ("Existing schedules" list) decode to the expected records. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"name":"Daily-1","type":"daily","at":"19:00"}
      {"name":"Weekly-1","type":"weekly","weekdays":["saturday"],"at":"19:00"}
      {"name":"Weekly-2","type":"weekly","weekdays":["Mon","TUE","wed","thu","fri"],"every":"4h"}
      {"name":"Monthly-1","type":"monthly","monthDay":{"day":"last"},"at":"20:00","runRetentionAfterBackup":true}
      {"name":"Monthly-2","type":"monthly","monthDay":{"ordinal":"last","weekday":"friday"},"at":"20:00","stopAfterHours":24}
      {"name":"Custom-1","type":"custom","date":"2020-03-31","at":"21:00","enabled":false}
      {"name":"Every-1","type":"daily","every":"1m"}
      """)
  void validExamples_roundTrip(String json) {
    Decoded<Schedule> d = ScheduleJson.decode(new JsonObject(json), "schedules[0]");
    assertEquals(List.of(), d.errors());
    Schedule s = d.value().orElseThrow();
    assertEquals(s, ScheduleJson.decode(ScheduleJson.encode(s), "x").value().orElseThrow());
  }

  @Test
  void decode_buildsTheExpectedRecord() {
    Schedule s = ScheduleJson.decode(new JsonObject("{\"name\":\"Weekly-2\",\"type\":\"weekly\","
        + "\"weekdays\":[\"sat\",\"sunday\"],\"every\":\"30m\"}"), "").value().orElseThrow();
    assertEquals(new Schedule("Weekly-2", true, ScheduleType.WEEKLY, Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
        null, null, new Start.Every(Duration.ofMinutes(30)), Stop.UNTIL_COMPLETED, false), s);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"ordinal":"first","weekday":"day"}     | Day 1
      {"ordinal":"fourth","weekday":"day"}    | Day 4
      {"ordinal":"last","weekday":"day"}      | Last day
      {"day":"LAST"}                          | Last day
      {"day":15}                              | Day 15
      {"ordinal":"second","weekday":"tue"}    | Second Tuesday
      """)
  void monthDay_spellings(String json, String described) {
    List<FieldError> errors = new java.util.ArrayList<>();
    MonthDayRule rule = ScheduleJson.decodeMonthDay(new JsonObject(json), "m", errors);
    assertEquals(List.of(), errors);
    assertEquals(described, rule.describe());
  }

  @Test
  void validate_onARecord_usesThePrefix() {
    Schedule s = Schedule.daily("A", new Start.Every(Duration.ofMinutes(7)));
    assertEquals(List.of("every"), fields(ScheduleValidator.validate(s, "")));
    assertEquals(List.of("schedules[2].every"), fields(ScheduleValidator.validate(s, "schedules[2]")));
  }

  @Test
  void validate_acceptsEveryPeriodOfTheGuide() {
    for (Duration p : Start.ALLOWED_PERIODS) {
      assertEquals(List.of(), ScheduleValidator.validate(Schedule.daily("A", new Start.Every(p)), ""), p.toString());
    }
    assertEquals(16, Start.ALLOWED_PERIODS.size());
  }

  @Test
  void validate_customOnLeapDay() {
    assertEquals(List.of(), ScheduleValidator.validate(
        Schedule.custom("C", LocalDate.of(2028, 2, 29), LocalTime.of(0, 0)), ""));
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }
}
