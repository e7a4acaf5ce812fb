package au.com.backup247.agent.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSeriesTest {

  private static JobRow backup(long id, String dest, long start, Long end, long stored, long bytesNew) {
    return new JobRow(id, "run" + id, "job" + id, 7, dest, end == null ? "In progress" : "Completed", "manual", null,
        start, end, new JsonObject().put("bytesStored", stored).put("bytesNew", bytesNew).put("filesNew", 2)
            .put("filesChanged", 1).encode());
  }

  private static JobRow freeing(long id, String dest, long start, long end, long freed) {
    return new JobRow(id, "run" + id, null, 7, dest, "Completed", "retention", null, start, end,
        new JsonObject().put("bytesFreed", freed).encode());
  }

  private static JsonArray points(JsonObject series, int destination) {
    return series.getJsonArray("destinations").getJsonObject(destination).getJsonArray("points");
  }

  @Test
  void storedTotal_addsWhatBackupsStored_andSubtractsWhatSpaceFreeingFreed_perDestination() {
    JsonObject s = JobSeries.of(7, List.of(backup(1, "A", 1000, 4000L, 100, 150), backup(2, "B", 1000, 2000L, 50, 60),
        backup(3, "A", 5000, 5500L, 30, 40), freeing(4, "A", 6000, 6100, 80), freeing(5, "B", 6000, 6100, 500)), 10);
    assertEquals(7, s.getLong("setId"));
    assertEquals("A", s.getJsonArray("destinations").getJsonObject(0).getString("name"));
    JsonArray a = points(s, 0);
    assertEquals(List.of(100L, 130L, 50L), a.stream().map(p -> ((JsonObject) p).getLong("storedTotal")).toList());
    assertEquals(3000L, a.getJsonObject(0).getLong("durationMs"));
    assertEquals(150L, a.getJsonObject(0).getLong("bytesNew"));
    assertEquals("space-freeing", a.getJsonObject(2).getString("kind"));
    assertEquals(80L, a.getJsonObject(2).getLong("bytesFreed"));
    assertEquals(0L, a.getJsonObject(2).getLong("bytesNew"));
    assertEquals(0L, points(s, 1).getJsonObject(1).getLong("storedTotal"), "never below zero");
  }

  @Test
  void runningReportsAreLeftOut_andTheLimitKeepsTheNewestPoints_withTotalsOfTheWholeHistory() {
    JsonObject s = JobSeries.of(7, List.of(backup(1, "A", 0, 10L, 100, 1), backup(2, "A", 20, 30L, 10, 1),
        backup(3, "A", 40, 50L, 1, 1), backup(4, "A", 60, null, 1000, 1)), 2);
    JsonArray a = points(s, 0);
    assertEquals(2, a.size());
    assertEquals(2L, a.getJsonObject(0).getLong("reportId"));
    assertEquals(111L, a.getJsonObject(1).getLong("storedTotal"));
    assertThrows(IllegalArgumentException.class, () -> JobSeries.of(7, List.of(), 0));
  }
}
