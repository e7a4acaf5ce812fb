package au.com.backup247.agent.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rate grammar (docs/SETS.md): what it accepts, what it refuses with which words, how it writes a rate back. */
class RateTest {

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
      "' 3 MB/s '   | 3000000",
      "8MIBIT/S     | 1048576",
      "1.5 MiB/s    | 1572864",
      "12bit/s      | 2"})
  void parse_convertsToBytesPerSecond(String text, long bytesPerSecond) {
    assertEquals(bytesPerSecond, Rate.parse(text).bytesPerSecond());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''            | v.rate",
      "10            | v.rate",
      "fast          | v.rate",
      "-1MB/s        | v.rate",
      "10Xbit/s      | v.rate",
      "10MiB/h       | v.rate",
      "10Tbit/s      | v.rate",
      "10 megabytes  | v.rate",
      "10MBps        | v.rate",
      "10Mbps/s      | v.rate",
      "1e3B/s        | v.rate",
      "0Mibit/s      | v.rate.min",
      "1bit/s        | v.rate.min",
      "4bit/s        | v.rate.min",
      "99999999999GiB/s | v.rate.max"})
  void parse_refusesWithTheBadValue(String text, String key) {
    BandwidthException e = assertThrows(BandwidthException.class, () -> Rate.parse(text));
    assertEquals(key, e.key());
    assertTrue(e.getMessage().endsWith("got \"" + text + "\""), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10Mibit/s     | 10Mibit/s",
      "' 10 mibit/s '| 10Mibit/s",
      "100 KIBIT/S   | 100Kibit/s",
      "10Mbps        | 10Mbit/s",
      "010.50 MiB    | 10.5MiB/s",
      "2kb/s         | 2kbit/s",
      "1GB/s         | 1GB/s"})
  void parse_keepsTheCanonicalText(String text, String canonical) {
    assertEquals(canonical, Rate.parse(text).text());
  }

  @Test
  void burst_isAQuarterSecond_butAtLeast16KiB() {
    assertEquals(16 * 1024, Rate.parse("8Kibit/s").burstBytes());
    assertEquals(1 << 20, Rate.parse("4MiB/s").burstBytes());
    assertEquals(4L << 20, Rate.parse("4MiB/s").newBucket().bytesPerSecond());
  }

  @Test
  void throttle_sharedModeHasOneBucket_independentNone_noLimitLeavesStoresAlone() {
    Throttle shared = Throttle.of(Rate.parse("1MiB/s"), Mode.SHARED);
    assertTrue(shared.shared().isPresent());
    assertTrue(Throttle.of(Rate.parse("1MiB/s"), Mode.INDEPENDENT).shared().isEmpty());
    MemoryStore m = new MemoryStore();
    assertTrue(Throttle.none().wrap(m) == m);
    assertTrue(shared.wrap(m) instanceof ThrottledStore);
    assertEquals(Mode.INDEPENDENT, Mode.parse("Independent"));
    assertEquals("must be independent or shared, got \"both\"",
        assertThrows(BandwidthException.class, () -> Mode.parse("both")).getMessage());
  }
}
