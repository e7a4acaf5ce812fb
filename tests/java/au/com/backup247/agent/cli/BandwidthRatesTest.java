package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.sets.SetJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One rate grammar: the CLI's {@code --bandwidth} and a backup set's bandwidth limit accept the
 * same rates as the same number of bytes per second, and refuse the same rates with the same words
 * (after the option's name on the command line, under the field's name in a set).
 */
class BandwidthRatesTest {

  /** The CLI's rate, in bytes per second. */
  private static long cli(String rate) {
    RepoOptions.BandwidthOptions o = new RepoOptions.BandwidthOptions();
    o.rate = rate;
    o.mode = "shared";
    return o.throttle().limit().orElseThrow().bytesPerSecond();
  }

  /** A set with one limit of {@code rate}: its settings, or its field errors. */
  private static Decoded<SetJson.Create> set(String rate) {
    JsonObject json = new JsonObject().put("name", "bw")
        .put("source", new JsonObject().put("paths", new JsonArray().add("/srv/data")))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "A").put("url", "/mnt/b247")))
        .put("encryption", new JsonObject().put("enabled", false))
        .put("bandwidth", new JsonObject().put("enabled", true).put("limits", new JsonArray()
            .add(new JsonObject().put("name", "Always").put("rate", rate).put("always", true))));
    return SetJson.decodeCreate(json, new SetJson.Defaults(Path.of("/home/alice"), "host-1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "8Mibit/s     | 1048576",
      "1MB/s        | 1000000",
      "500kbit/s    | 62500",
      "1.5 MiB/s    | 1572864",
      "100Kibit/s   | 12800",
      "10 mibit/s   | 1310720",
      "1Gbit/s      | 125000000",
      "10Mbps       | 1250000",
      "2 MiB        | 2097152",
      "8bit/s       | 1",
      "100B/s       | 100"})
  void aRate_isTheSameForTheCliAndASet(String rate, long bytesPerSecond) {
    assertEquals(bytesPerSecond, cli(rate));
    var d = set(rate);
    assertTrue(d.errors().isEmpty(), d.errors().toString());
    assertEquals(bytesPerSecond, d.value().orElseThrow().settings().bandwidth().limits().get(0).rate().bytesPerSecond());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"10", "fast", "10Tbit/s", "1bit/s", "10 megabytes", "99999999999GiB/s"})
  void aBadRate_isRefusedByBothWithTheSameWords(String rate) {
    AgentException e = assertThrows(AgentException.class, () -> cli(rate));
    List<FieldError> errors = set(rate).errors();
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("bandwidth.limits[0].rate", errors.get(0).field());
    assertEquals("--bandwidth: " + errors.get(0).message(), e.getMessage());
  }

  @Test
  void aBadModeOrPeriod_isAUsageErrorNamingTheOption() {
    RepoOptions.BandwidthOptions o = new RepoOptions.BandwidthOptions();
    o.rate = "1MB/s";
    o.mode = "both";
    AgentException mode = assertThrows(AgentException.class, o::throttle);
    assertEquals("--bandwidth-mode: must be independent or shared, got \"both\"", mode.getMessage());
    o.mode = "independent";
    o.period = "someday@09:00-17:00";
    AgentException period = assertThrows(AgentException.class, o::throttle);
    assertEquals(Failure.BAD_REQUEST, period.failure());
    assertTrue(period.getMessage().startsWith("--bandwidth-period: bandwidth period day \"someday\""),
        period.getMessage());
  }
}
