package au.com.backup247.agent.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The registry of the sets' shared buckets: made when a run needs them, one entry per set, dropped
 * with the set or when its bandwidth settings change.
 */
class SetBucketsTest {
  private final SetBuckets buckets = new SetBuckets(ZoneOffset.UTC);

  private static BandwidthControl control(Mode mode, String rate) {
    return new BandwidthControl(true, mode, List.of(
        new BandwidthControl.Limit("Always", Rate.parse(rate), null),
        new BandwidthControl.Limit("Office", Rate.parse("100Kibit/s"), new BandwidthControl.Period(
            Set.of(DayOfWeek.MONDAY), LocalTime.of(9, 0), LocalTime.of(17, 0)))));
  }

  @Test
  void shared_everyRunOfTheSetGetsTheSameBuckets_andOnlyOneEntryIsKept() {
    Throttle first = buckets.throttle(7, control(Mode.SHARED, "8Mibit/s"));
    for (int job = 0; job < 100; job++) {
      assertSame(first, buckets.throttle(7, control(Mode.SHARED, "8Mibit/s")));
    }
    assertEquals(1, buckets.size(), "not one entry per job");
    assertNotSame(first, buckets.throttle(8, control(Mode.SHARED, "8Mibit/s")), "sets do not share");
    assertEquals(2, buckets.size());
  }

  @Test
  void changedSettings_giveNewBuckets_andDropTheOldOnes() {
    Throttle before = buckets.throttle(7, control(Mode.SHARED, "8Mibit/s"));
    Throttle after = buckets.throttle(7, control(Mode.SHARED, "1MB/s"));
    assertNotSame(before, after);
    assertEquals(1, buckets.size());
    assertSame(after, buckets.throttle(7, control(Mode.SHARED, "1MB/s")));
    buckets.throttle(7, control(Mode.INDEPENDENT, "1MB/s"));
    assertEquals(0, buckets.size(), "independent mode keeps nothing");
    buckets.throttle(7, control(Mode.SHARED, "1MB/s"));
    buckets.throttle(7, BandwidthControl.OFF);
    assertEquals(0, buckets.size(), "turned off: dropped");
  }

  @Test
  void deletedSet_isForgotten() {
    Throttle before = buckets.throttle(7, control(Mode.SHARED, "8Mibit/s"));
    buckets.forget(7);
    assertEquals(0, buckets.size());
    assertNotSame(before, buckets.throttle(7, control(Mode.SHARED, "8Mibit/s")),
        "a new set with the old id starts afresh");
  }

  @Test
  void independent_everyRunGetsItsOwnThrottle_offGetsNone() {
    assertNotSame(buckets.throttle(7, control(Mode.INDEPENDENT, "8Mibit/s")),
        buckets.throttle(7, control(Mode.INDEPENDENT, "8Mibit/s")));
    assertSame(Throttle.none(), buckets.throttle(7, null));
    assertSame(Throttle.none(), buckets.throttle(7, BandwidthControl.OFF));
  }
}
