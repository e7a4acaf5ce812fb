package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bandwidth.Bandwidth;
import au.com.backup247.agent.bandwidth.BandwidthPeriod;
import au.com.backup247.agent.bandwidth.SetBuckets;
import au.com.backup247.agent.bandwidth.ThrottledStore;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.sets.SetJson;
import au.com.backup247.agent.sets.SetSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guide ch. 9.5 "Bandwidth Control": the set's limits are in the store chain the agent's jobs open
 * (repositories on a real folder); the buckets' rates, periods and sharing are checked, not timing.
 */
class SetBandwidthTest {

  private static SetSettings settings(Path dest, JsonObject bandwidth) {
    JsonObject json = new JsonObject().put("name", "bw")
        .put("source", new JsonObject().put("paths", new JsonArray().add("/srv/data")))
        .put("destinations", new JsonArray()
            .add(new JsonObject().put("name", "A").put("url", dest.resolve("a").toUri().toString()))
            .add(new JsonObject().put("name", "B").put("url", dest.resolve("b").toUri().toString())))
        .put("encryption", new JsonObject().put("enabled", false));
    if (bandwidth != null) {
      json.put("bandwidth", bandwidth);
    }
    var d = SetJson.decodeCreate(json, new SetJson.Defaults(dest, "host-1"));
    assertTrue(d.errors().isEmpty(), d.errors().toString());
    return d.value().orElseThrow().settings();
  }

  private static JsonObject limits(String mode) {
    return new JsonObject().put("enabled", true).put("mode", mode).put("limits", new JsonArray()
        .add(new JsonObject().put("name", "Always").put("rate", "10Mibit/s").put("always", true))
        .add(new JsonObject().put("name", "Office hours").put("rate", "100Kibit/s").put("period",
            new JsonObject().put("days", new JsonArray().add("mon").add("tue")).put("from", "09:00")
                .put("to", "17:00"))));
  }

  /** The buckets of the throttles in a store chain, outermost first. */
  private static List<Bandwidth> buckets(Store s) {
    List<Bandwidth> out = new ArrayList<>();
    while (s instanceof ForwardingStore f) {
      if (f instanceof ThrottledStore t) {
        assertSame(t.upload(), t.download(), "uploads and downloads share the limit");
        out.add(t.upload());
      }
      s = f.inner();
    }
    return out;
  }

  /** The agent's registry of the sets' buckets, as the jobs verticle holds it. */
  private final SetBuckets buckets = new SetBuckets(ZoneId.systemDefault());

  private List<Bandwidth> opened(long setId, SetSettings s, Path home, int destination) {
    List<SetRepositories.Opened> o = SetRepositories.open(new au.com.backup247.agent.sets.BackupSet(setId, 0, 0, s),
        s.destinations().targets(), null, home, buckets.throttle(setId, s.bandwidth()));
    assertNull(o.get(destination).error());
    return buckets(o.get(destination).repo().store());
  }

  @Test
  void off_noThrottle(@TempDir Path dir) {
    assertEquals(List.of(), opened(1, settings(dir, null), dir, 0));
    assertEquals(List.of(), opened(2, settings(dir, new JsonObject().put("enabled", false)), dir, 0));
  }

  @Test
  void independent_eachDestinationAndJobHasItsOwnBuckets_withTheSetsRatesAndPeriods(@TempDir Path dir) {
    SetSettings s = settings(dir, limits("independent"));
    List<Bandwidth> a = opened(3, s, dir, 0);
    assertEquals(2, a.size(), a.toString());
    Bandwidth office = a.get(0); // wrapped last: outermost
    Bandwidth always = a.get(1);
    assertEquals(10L * (1 << 20) / 8, always.bytesPerSecond());
    assertNull(always.period());
    assertEquals(100L * 1024 / 8, office.bytesPerSecond());
    assertEquals(new BandwidthPeriod(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY), LocalTime.of(9, 0),
        LocalTime.of(17, 0), ZoneId.systemDefault()), office.period());
    List<Bandwidth> b = opened(3, s, dir, 1);
    List<Bandwidth> again = opened(3, s, dir, 0);
    for (int i = 0; i < 2; i++) {
      assertNotSame(a.get(i), b.get(i), "another destination: its own bucket");
      assertNotSame(a.get(i), again.get(i), "another job: its own bucket");
    }
  }

  @Test
  void shared_oneBucketPerLimitForAllDestinationsAndJobsOfTheSet(@TempDir Path dir) {
    SetSettings s = settings(dir, limits("shared"));
    List<Bandwidth> a = opened(4, s, dir, 0);
    List<Bandwidth> b = opened(4, s, dir, 1);
    List<Bandwidth> again = opened(4, s, dir, 0);
    assertEquals(2, a.size());
    for (int i = 0; i < 2; i++) {
      assertSame(a.get(i), b.get(i));
      assertSame(a.get(i), again.get(i));
    }
    List<Bandwidth> otherSet = opened(5, s, dir, 0);
    assertNotSame(a.get(0), otherSet.get(0), "sets do not share");
  }
}
