package au.com.backup247.agent.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding and validation of retention policies name the offending field. */
class RetentionValidationTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"type":"simple","keepDays":0}                                                  | retention.keepDays                    | 1..365 days
      {"type":"simple","keepDays":366}                                                | retention.keepDays                    | 1..365 days
      {"type":"simple","keepJobs":0}                                                  | retention.keepJobs                    | 1..365 jobs
      {"type":"simple"}                                                               | retention.keepDays                    | exactly one
      {"type":"simple","keepDays":7,"keepJobs":3}                                     | retention.keepDays                    | exactly one
      {"type":"sometimes"}                                                            | retention.type                        | simple or advanced
      {"type":"advanced","policies":[]}                                               | retention.policies                    | at least one
      {"type":"advanced"}                                                             | retention.policies                    | array
      {"type":"advanced","policies":[{"name":"D","type":"daily","days":0}]}           | retention.policies[0].days            | 1..365 days
      {"type":"advanced","policies":[{"name":"D","type":"daily","days":7},{"name":"W","type":"weekly","weekdays":["sat"],"weeks":0}]} | retention.policies[1].weeks | 1..365 weeks
      {"type":"advanced","policies":[{"name":"W","type":"weekly","weeks":4}]}         | retention.policies[0].weekdays        | at least one
      {"type":"advanced","policies":[{"name":"W","type":"weekly","weekdays":["x"],"weeks":4}]} | retention.policies[0].weekdays[0] | day name
      {"type":"advanced","policies":[{"name":"M","type":"monthly","day":{"day":32},"months":3}]} | retention.policies[0].day.day | 1..31
      {"type":"advanced","policies":[{"name":"M","type":"monthly","day":{"day":1},"months":400}]} | retention.policies[0].months | 1..365 months
      {"type":"advanced","policies":[{"name":"M","type":"monthly","months":3}]}       | retention.policies[0].day             | must be an object
      {"type":"advanced","policies":[{"name":"Q","type":"quarterly","day":{"day":1},"monthOfQuarter":4,"quarters":4}]} | retention.policies[0].monthOfQuarter | Jan/Apr/Jul/Oct
      {"type":"advanced","policies":[{"name":"Q","type":"quarterly","day":{"day":1},"monthOfQuarter":1,"quarters":0}]} | retention.policies[0].quarters | 1..365 quarters
      {"type":"advanced","policies":[{"name":"Y","type":"yearly","month":"smarch","day":{"day":1},"years":7}]} | retention.policies[0].month | january
      {"type":"advanced","policies":[{"name":"Y","type":"yearly","month":"january","day":{"day":1},"years":0}]} | retention.policies[0].years | 1..365 years
      {"type":"advanced","policies":[{"name":"C","type":"custom","dates":[]}]}        | retention.policies[0].dates           | at least one date
      {"type":"advanced","policies":[{"name":"C","type":"custom","dates":["2027-02-29"]}]} | retention.policies[0].dates[0]   | real date
      {"type":"advanced","policies":[{"name":"C","type":"custom","dates":["2028-02-29","2028-02-29"]}]} | retention.policies[0].dates | twice
      {"type":"advanced","policies":[{"name":"D","type":"daily","days":7},{"name":"D","type":"daily","days":3}]} | retention.policies[1].name | used by another
      {"type":"advanced","policies":[{"name":" ","type":"daily","days":7}]}           | retention.policies[0].name            | not be blank
      {"type":"advanced","policies":[{"name":"H","type":"hourly","hours":7}]}         | retention.policies[0].type            | daily, weekly, monthly, quarterly, yearly, custom
      {"type":"advanced","policies":[{"type":"daily","days":7}]}                      | retention.policies[0].name            | required
      {"type":"simple","keepDays":7,"keepWeeks":2}                                    | retention.keepWeeks                   | not a retention setting
      {"type":"advanced","policies":[{"name":"D","type":"daily","days":7,"weeks":2}]} | retention.policies[0].weeks           | not a setting of a daily policy
      {"type":"advanced","policies":[{"name":"M","type":"monthly","day":{"day":1,"month":2},"months":3}]} | retention.policies[0].day.month | not part of a day of month
      """)
  void decode_namesTheField(String json, String field, String messagePart) {
    Decoded<RetentionPolicy> d = RetentionJson.decode(new JsonObject(json), "retention");
    assertTrue(d.value().isEmpty());
    List<FieldError> matching = d.errors().stream().filter(e -> e.field().equals(field)).toList();
    assertEquals(1, matching.size(), "errors: " + d.errors());
    assertTrue(matching.get(0).message().contains(messagePart), matching.get(0).message());
  }

  /** The guide's examples 1-5 (plus a custom one) decode and survive a round trip. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"type":"simple","keepDays":7}
      {"type":"simple","keepJobs":365}
      {"type":"advanced","policies":[{"name":"Daily-1","type":"daily","days":7}]}
      {"type":"advanced","policies":[{"name":"Weekly-1","type":"weekly","weekdays":["saturday"],"weeks":4}]}
      {"type":"advanced","policies":[{"name":"Monthly-1","type":"monthly","day":{"day":1},"months":3}]}
      {"type":"advanced","policies":[{"name":"Quarterly-1","type":"quarterly","day":{"day":1},"monthOfQuarter":1,"quarters":4}]}
      {"type":"advanced","policies":[{"name":"Quarterly-2","type":"quarterly","day":{"ordinal":"first","weekday":"sunday"},"monthOfQuarter":1,"quarters":4}]}
      {"type":"advanced","policies":[{"name":"Yearly-1","type":"yearly","month":"january","day":{"day":1},"years":7}]}
      {"type":"advanced","policies":[{"name":"Custom-1","type":"custom","dates":["2028-02-29","2026-06-30"]},{"name":"Monthly-1","type":"monthly","day":{"day":"last"},"months":12}]}
      """)
  void validExamples_roundTrip(String json) {
    Decoded<RetentionPolicy> d = RetentionJson.decode(new JsonObject(json), "retention");
    assertEquals(List.of(), d.errors());
    RetentionPolicy p = d.value().orElseThrow();
    assertEquals(p, RetentionJson.decode(RetentionJson.encode(p), "retention").value().orElseThrow());
  }

  @Test
  void absentPolicy_isTheGuideDefault() {
    assertEquals(new RetentionPolicy.Simple(7, RetentionPolicy.Unit.DAYS),
        RetentionJson.decode(new JsonObject(), "retention").value().orElseThrow());
  }

  @Test
  void validate_onARecord_usesThePrefix() {
    RetentionPolicy p = new RetentionPolicy.Advanced(List.of(new SnapshotPolicy.Daily("D", 7),
        new SnapshotPolicy.Weekly("W", java.util.Set.of(java.time.DayOfWeek.SUNDAY), 0)));
    assertEquals(List.of(new FieldError("sets[3].retention.policies[1].weeks", "must be 1..365 weeks, got 0")),
        RetentionValidator.validate(p, "sets[3].retention"));
  }
}
