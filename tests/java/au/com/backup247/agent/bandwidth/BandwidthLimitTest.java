package au.com.backup247.agent.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandwidthLimitTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "8bit/s       | 1",
      "800 bit/s    | 100",
      "1kbit/s      | 125",
      "1Kibit/s     | 128",
      "500Kibit/s   | 64000",
      "10Mibit/s    | 1310720",
      "10Mbit/s     | 1250000",
      "1Gbit/s      | 125000000",
      "1Gibit/s     | 134217728",
      "1.5Mibit/s   | 196608",
      "10Mbps       | 1250000",
      "500kbps      | 62500",
      "100B/s       | 100",
      "1kB/s        | 1000",
      "1KiB/s       | 1024",
      "2MB/s        | 2000000",
      "2MiB/s       | 2097152",
      "1GB/s        | 1000000000",
      "1GiB/s       | 1073741824",
      "2 MiB        | 2097152",
      "4kib/s       | 512",
      "8Mb/s        | 1000000",
      "16b/s        | 2",
      "' 3 MB/s '   | 3000000"})
  void parse_convertsToBytesPerSecond(String text, long bytesPerSecond) {
    assertEquals(bytesPerSecond, BandwidthLimit.parse(text).bytesPerSecond());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''            | empty",
      "10            | the unit is missing",
      "fast          | give a number and a unit",
      "-1MB/s        | give a number and a unit",
      "10Xbit/s      | unknown unit \"Xbit\"",
      "10MiB/h       | give a number and a unit",
      "10Tbit/s      | unknown unit \"Tbit\"",
      "10 megabytes  | unknown unit \"megabytes\"",
      "0Mibit/s      | at least 1 byte per second",
      "1bit/s        | at least 1 byte per second",
      "99999999999GiB/s | too large"})
  void parse_refusesWithTheBadPart(String text, String expected) {
    BandwidthException e = assertThrows(BandwidthException.class, () -> BandwidthLimit.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void burst_isAQuarterSecond_butAtLeast16KiB() {
    assertEquals(16 * 1024, BandwidthLimit.parse("8Kibit/s").burstBytes());
    assertEquals(1 << 20, BandwidthLimit.parse("4MiB/s").burstBytes());
    assertEquals(4L << 20, BandwidthLimit.parse("4MiB/s").newBucket().bytesPerSecond());
  }

  @Test
  void throttle_sharedModeHasOneBucket_independentNone_noLimitLeavesStoresAlone() {
    Throttle shared = Throttle.of(BandwidthLimit.parse("1MiB/s"), Throttle.Mode.SHARED);
    assertTrue(shared.shared().isPresent());
    assertTrue(Throttle.of(BandwidthLimit.parse("1MiB/s"), Throttle.Mode.INDEPENDENT).shared().isEmpty());
    MemoryStore m = new MemoryStore();
    assertTrue(Throttle.none().wrap(m) == m);
    assertTrue(shared.wrap(m) instanceof ThrottledStore);
    assertEquals(Throttle.Mode.INDEPENDENT, Throttle.Mode.parse("Independent"));
    assertTrue(assertThrows(BandwidthException.class, () -> Throttle.Mode.parse("both")).getMessage()
        .contains("shared or independent"));
  }
}
