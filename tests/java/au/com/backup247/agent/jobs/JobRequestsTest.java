package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup, restore and space freeing requests: every bad field at once, in the sets' field-error style. */
class JobRequestsTest {

  private static List<String> fields(ValidationException e) {
    return e.fields().stream().map(o -> ((JsonObject) o).getString("field")).toList();
  }

  /** Every field error has a bundle key said in English and in French. */
  private static void keyedInBothLanguages(ValidationException e) {
    for (Object o : e.fields()) {
      JsonObject f = (JsonObject) o;
      String key = f.getString("key");
      assertTrue(key != null && key.startsWith("v."), f.encode());
      Object[] args = f.getJsonArray("args").getList().toArray();
      assertFalse(Messages.get("en", key, args).equals(Messages.get("fr", key, args)), key + " has a French text");
    }
  }

  @Test
  void backup_reportsEveryBadField() {
    ValidationException e = assertThrows(ValidationException.class, () -> BackupRequest.of(new JsonObject()
        .put("trigger", "later").put("destinations", new JsonArray()).put("runRetention", "yes")
        .put("stopAt", -5).put("stopAfterHours", "two").put("scheduleName", 3)));
    assertEquals(Failure.VALIDATION, e.failure());
    assertEquals(List.of("trigger", "destinations", "runRetention", "stopAt", "stopAfterHours", "scheduleName"),
        fields(e));
    assertTrue(e.getMessage().startsWith("the backup request has 6 invalid settings: trigger: "), e.getMessage());
    keyedInBothLanguages(e);
  }

  @Test
  void search_refusesFractionsForWholeNumbers() {
    ValidationException e = assertThrows(ValidationException.class, () -> SearchRequest.of(new JsonObject()
        .put("destination", "Local-1").put("page", 2.5).put("perPage", 10.0)));
    assertEquals(List.of("page", "perPage"), fields(e));
    SearchRequest ok = SearchRequest.of(new JsonObject().put("destination", "Local-1").put("page", 3L)
        .put("perPage", "20"));
    assertEquals(3, ok.page());
    assertEquals(20, ok.perPage());
  }

  @Test
  void backup_defaults_andAValidRequest() {
    BackupRequest none = BackupRequest.of(new JsonObject().put("id", 3));
    assertEquals("manual", none.trigger());
    assertNull(none.destinations());
    assertFalse(none.runRetention());
    BackupRequest scheduled = BackupRequest.of(new JsonObject().put("trigger", "schedule").put("stopAt", 1_000L)
        .put("stopAfterHours", 2).put("scheduleName", "Nightly").put("destinations", new JsonArray().add("Local-1"))
        .put("runRetention", true));
    assertEquals(new BackupRequest("schedule", new JsonArray().add("Local-1"), true, 1_000L, 2, "Nightly"),
        scheduled);
  }

  @Test
  void restore_reportsEveryBadField(@TempDir Path dir) {
    ValidationException e = assertThrows(ValidationException.class, () -> RestoreRequest.of(new JsonObject()
        .put("job", "../x").put("paths", new JsonArray().add("/ok").add("relative").add("/a/../b"))
        .put("target", "somewhere").put("deleteUnmatched", true).put("temporaryDirectory", dir.resolve("none")
            .toString()).put("verifyChecksums", 1).put("versions", new JsonArray())));
    assertEquals(List.of("destination", "job", "paths[1]", "paths[2]", "target", "confirmDeleteUnmatched",
        "temporaryDirectory", "verifyChecksums", "versions"), fields(e));
    keyedInBothLanguages(e);
  }

  @Test
  void restore_aValidRequest(@TempDir Path dir) {
    RestoreRequest r = RestoreRequest.of(new JsonObject().put("destination", "Local-1").put("job", "latest")
        .put("paths", new JsonArray().add("/home/a/")).put("target", "original").put("allVersions", "true")
        .put("versions", new JsonArray().add(new JsonObject().put("path", "/home/a/x").put("job", "j1")))
        .put("temporaryDirectory", dir.toString()));
    assertNull(r.job());
    assertEquals(List.of("/home/a"), r.paths());
    assertTrue(r.original());
    assertEquals(Path.of("/"), r.target());
    assertEquals(dir, r.temp());
    assertEquals(Set.of("j1"), r.versions().get("/home/a/x"));
  }

  @Test
  void spaceFreeing_reportsEveryBadField() {
    ValidationException e = assertThrows(ValidationException.class, () -> SpaceFreeingRequest.of(new JsonObject()
        .put("id", "three").put("destinations", new JsonArray().add(1))));
    assertEquals(List.of("id", "destinations"), fields(e));
    keyedInBothLanguages(e);
    assertNull(SpaceFreeingRequest.of(new JsonObject()).setId(), "every set");
  }
}
