package au.com.backup247.agent.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FakeTime;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bandwidth limits "only within this period" (guide ch. 9.5). 2026-11-23 is a Monday. */
class BandwidthPeriodTest {
  private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

  private static Instant local(String t) {
    return LocalDateTime.parse(t).atZone(SYDNEY).toInstant();
  }

  @ParameterizedTest(name = "{0} at {1} → {2}")
  @CsvSource({
      "mon-fri@09:00-17:00, 2026-11-23T09:00, true",
      "mon-fri@09:00-17:00, 2026-11-23T08:59, false",
      "mon-fri@09:00-17:00, 2026-11-23T17:00, false",
      "mon-fri@09:00-17:00, 2026-11-27T16:59, true",   // Friday
      "mon-fri@09:00-17:00, 2026-11-28T12:00, false",  // Saturday
      "fri@22:00-06:00, 2026-11-27T23:30, true",       // Friday night
      "fri@22:00-06:00, 2026-11-28T05:59, true",       // Saturday early: still Friday's period
      "fri@22:00-06:00, 2026-11-28T06:00, false",
      "fri@22:00-06:00, 2026-11-27T05:00, false",      // Friday early belongs to Thursday: not listed
      "'sat,sun@00:00-00:00', 2026-11-29T13:00, true",   // whole Sunday
      "'sat,sun@00:00-00:00', 2026-11-30T00:00, false",  // Monday
      "'sun-tue@10:00-11:00', 2026-11-24T10:30, true", // a range through the week's end
      "'sun-tue@10:00-11:00', 2026-11-25T10:30, false",
  })
  void active(String spec, String at, boolean expected) {
    assertEquals(expected, BandwidthPeriod.parse(spec, SYDNEY).active(local(at)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "09:00-17:00 | must look like",
      "xyz@09:00-17:00 | day \"xyz\"",
      "mon@9-17 | time \"9\"",
      "mon@09:00 | times \"09:00\"",
      "mon-tue-wed@09:00-10:00 | \"mon-tue-wed\"",
  })
  void parseErrorsNameThePart(String spec, String expected) {
    BandwidthException e = assertThrows(BandwidthException.class,
        () -> BandwidthPeriod.parse(spec, SYDNEY));
    assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
  }

  @Test
  void outsideThePeriodTransfersAreNotPaced_insideTheyAre() {
    FakeTime time = new FakeTime(true);
    BandwidthPeriod office = new BandwidthPeriod(EnumSet.of(DayOfWeek.MONDAY), java.time.LocalTime.of(9, 0),
        java.time.LocalTime.of(17, 0), ZoneOffset.UTC);
    Clock night = Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC);
    Bandwidth b = new Bandwidth(1000, 1000, time::nanoTime, time::sleep, office, night);
    for (int i = 0; i < 10; i++) {
      b.acquire(1000);
    }
    assertEquals(0, time.sleeps.size(), "no limit at 20:00");
    Clock day = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    Bandwidth c = new Bandwidth(1000, 1000, time::nanoTime, time::sleep, office, day);
    for (int i = 0; i < 10; i++) {
      c.acquire(1000);
    }
    assertEquals(9.0, time.sleptSeconds(), 0.01, "10 kB at 1 kB/s with a 1 kB burst");
  }
}
