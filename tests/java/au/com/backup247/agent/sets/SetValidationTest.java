package au.com.backup247.agent.sets;

import static au.com.backup247.agent.sets.SetFixtures.DEFAULTS;
import static au.com.backup247.agent.sets.SetFixtures.REMOVE;
import static au.com.backup247.agent.sets.SetFixtures.minimal;
import static au.com.backup247.agent.sets.SetFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every rule of a backup set, one bad field at a time: the error names exactly that field. */
class SetValidationTest {

  static JsonArray arr(Object... items) {
    return new JsonArray(List.of(items));
  }

  static JsonObject obj(String json) {
    return new JsonObject(json);
  }

  static Stream<Arguments> badFields() {
    JsonObject base = minimal("Docs");
    JsonObject filter = obj("{\"name\":\"F\",\"action\":\"include\",\"match\":\"contains\",\"patterns\":[\"a\"]}");
    JsonObject withFilter = with(base, "source.filters", arr(filter));
    JsonObject dest = obj("{\"name\":\"D2\",\"url\":\"file:///mnt/two\"}");
    JsonObject sched = obj("{\"name\":\"Daily-1\",\"type\":\"daily\",\"at\":\"21:00\"}");
    JsonObject withSched = with(base, "schedules", arr(sched));
    JsonObject cmd = obj("{\"name\":\"C\",\"command\":\"true\"}");
    JsonObject limit = obj("{\"name\":\"L\",\"rate\":\"1Mbit/s\",\"period\":{\"days\":[\"mon\"],\"from\":\"09:00\","
        + "\"to\":\"17:00\"}}");
    JsonObject withLimit = with(base, "bandwidth", obj("{\"enabled\":true}").put("limits", arr(limit)));
    return Stream.of(
        // General
        Arguments.of(with(base, "name", REMOVE), "name"),
        Arguments.of(with(base, "name", "   "), "name"),
        Arguments.of(with(base, "name", " Docs"), "name"),
        Arguments.of(with(base, "name", "a".repeat(129)), "name"),
        Arguments.of(with(base, "name", "two\nlines"), "name"),
        Arguments.of(with(base, "name", 5), "name"),
        Arguments.of(with(base, "owner", ""), "owner"),
        Arguments.of(with(base, "colour", "blue"), "colour"),
        // Source
        Arguments.of(with(base, "source", new JsonObject()), "source"),
        Arguments.of(with(base, "source", "everything"), "source"),
        Arguments.of(with(base, "source.shortcuts", arr("desk")), "source.shortcuts[0]"),
        Arguments.of(with(base, "source.shortcuts", arr("documents", "Documents")), "source.shortcuts[1]"),
        Arguments.of(with(base, "source.paths", arr("relative/dir")), "source.paths[0]"),
        Arguments.of(with(base, "source.paths", arr("/a/../b")), "source.paths[0]"),
        Arguments.of(with(base, "source.paths", arr("/a", "/a")), "source.paths[1]"),
        Arguments.of(with(base, "source.home", "~"), "source.home"),
        Arguments.of(with(base, "source.excludedPaths", arr("/elsewhere/x")), "source.excludedPaths[0]"),
        Arguments.of(with(base, "source.excludedPaths", arr("/home/alice/Documents")), "source.excludedPaths[0]"),
        Arguments.of(with(withFilter, "source.filters[0].match", "glob"), "source.filters[0].match"),
        Arguments.of(with(withFilter, "source.filters[0].action", REMOVE), "source.filters[0].action"),
        Arguments.of(with(with(withFilter, "source.filters[0].match", "regex"), "source.filters[0].patterns",
            arr("(")), "source.filters[0].patterns[0]"),
        Arguments.of(with(withFilter, "source.filters[0].patterns", arr()), "source.filters[0].patterns"),
        Arguments.of(with(withFilter, "source.filters[0].patterns", arr("")), "source.filters[0].patterns[0]"),
        Arguments.of(with(with(withFilter, "source.filters[0].action", "exclude"), "source.filters[0].excludeAllUnmatched",
            true), "source.filters[0].excludeAllUnmatched"),
        Arguments.of(with(withFilter, "source.filters[0].top", "Desktop"), "source.filters[0].top"),
        Arguments.of(with(withFilter, "source.filters[0].apply", "links"), "source.filters[0].apply"),
        Arguments.of(with(base, "source.filters", arr(filter, filter.copy().put("name", "f"))), "source.filters[1].name"),
        Arguments.of(with(base, "source.filters", arr("F")), "source.filters[0]"),
        // Schedules
        Arguments.of(with(withSched, "schedules[0].at", REMOVE), "schedules[0].at"),
        Arguments.of(with(with(withSched, "schedules[0].at", REMOVE), "schedules[0].every", "7m"), "schedules[0].every"),
        Arguments.of(with(withSched, "schedules[0].stopAfterHours", 30), "schedules[0].stopAfterHours"),
        Arguments.of(with(base, "schedules", arr(sched, sched.copy().put("name", "DAILY-1"))), "schedules[1].name"),
        Arguments.of(with(base, "schedules", "daily"), "schedules"),
        // Destinations
        Arguments.of(with(base, "destinations", arr()), "destinations"),
        Arguments.of(with(base, "destinations", REMOVE), "destinations"),
        Arguments.of(with(base, "destinations[0].url", "not a url"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "file:relative"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "sftp:///no-host"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "sftp://bob:s3cret@nas/x"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "s3://bucket/p?region=x&secret-key=abc"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "/mnt/../etc"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].url", "relative/folder"), "destinations[0].url"),
        Arguments.of(with(base, "destinations[0].name", REMOVE), "destinations[0].name"),
        Arguments.of(with(base, "destinations[0].credentialsRef", "office"), "destinations[0].credentialsRef"),
        Arguments.of(with(base, "destinations[0].credentials", new JsonObject().put("password", "x")),
            "destinations[0].credentials"),
        Arguments.of(with(base, "destinations", arr(base.getJsonArray("destinations").getJsonObject(0),
            dest.copy().put("name", "LOCAL-1"))), "destinations[1].name"),
        Arguments.of(with(base, "destinations", arr(base.getJsonArray("destinations").getJsonObject(0),
            dest.copy().put("url", "file:///mnt/b247"))), "destinations[1].url"),
        Arguments.of(with(base, "backupMode", "parallel"), "backupMode"),
        Arguments.of(with(base, "maxConcurrentDestinations", 0), "maxConcurrentDestinations"),
        Arguments.of(with(base, "maxConcurrentDestinations", 17), "maxConcurrentDestinations"),
        // Deduplication
        Arguments.of(with(base, "deduplication.scope", "everything"), "deduplication.scope"),
        Arguments.of(with(base, "deduplication.blockSize", 100), "deduplication.blockSize"),
        Arguments.of(with(base, "deduplication.blockSize", "big"), "deduplication.blockSize"),
        Arguments.of(with(with(base, "deduplication.enabled", false), "deduplication.migrateData", true),
            "deduplication.migrateData"),
        // Retention
        Arguments.of(with(base, "retention", obj("{\"type\":\"simple\",\"keepDays\":400}")), "retention.keepDays"),
        Arguments.of(with(base, "retention", obj("{\"type\":\"advanced\",\"policies\":[{\"name\":\"D\","
            + "\"type\":\"daily\",\"days\":0}]}")), "retention.policies[0].days"),
        Arguments.of(with(base, "retention", obj("{\"type\":\"forever\"}")), "retention.type"),
        // Command line tool
        Arguments.of(with(base, "preBackupCommands", arr(cmd.copy().put("command", "  "))), "preBackupCommands[0].command"),
        Arguments.of(with(base, "preBackupCommands", arr(obj("{\"name\":\"C\"}"))), "preBackupCommands[0].command"),
        Arguments.of(with(base, "postBackupCommands", arr(cmd.copy().put("timeoutSeconds", 0))),
            "postBackupCommands[0].timeoutSeconds"),
        Arguments.of(with(base, "preBackupCommands", arr(cmd.copy().put("workingDirectory", "tmp"))),
            "preBackupCommands[0].workingDirectory"),
        Arguments.of(with(base, "preBackupCommands", arr(cmd, cmd)), "preBackupCommands[1].name"),
        // Bandwidth control
        Arguments.of(with(base, "bandwidth", obj("{\"enabled\":true}")), "bandwidth.limits"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].rate", "fast"), "bandwidth.limits[0].rate"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].rate", "0Kibit/s"), "bandwidth.limits[0].rate"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].period.from", "25:00"), "bandwidth.limits[0].period.from"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].period.to", "09:00"), "bandwidth.limits[0].period.to"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].period.days", arr()), "bandwidth.limits[0].period.days"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].period.days", arr("someday")),
            "bandwidth.limits[0].period.days[0]"),
        Arguments.of(with(withLimit, "bandwidth.limits[0].always", true), "bandwidth.limits[0].always"),
        Arguments.of(with(with(withLimit, "bandwidth.limits[0].period", REMOVE), "bandwidth.limits[0].always", false),
            "bandwidth.limits[0].period"),
        Arguments.of(with(with(withLimit, "bandwidth.mode", "shared"), "backupMode", "concurrent"), "bandwidth.mode"),
        Arguments.of(with(withLimit, "bandwidth.mode", "greedy"), "bandwidth.mode"),
        // Others
        Arguments.of(with(base, "others.compression", "zip"), "others.compression"),
        Arguments.of(with(base, "others.tempDirectory", "tmp"), "others.tempDirectory"),
        Arguments.of(with(base, "others.followLinks", "yes"), "others.followLinks"),
        Arguments.of(with(base, "others.openDirect", true), "others.openDirect"),
        // Encryption
        Arguments.of(with(base, "encryption.mode", "ecb"), "encryption.mode"),
        Arguments.of(with(base, "encryption.mode", "ctr"), "encryption.mode"),
        Arguments.of(with(base, "encryption.keyBits", 192), "encryption.keyBits"),
        Arguments.of(with(base, "encryption.keyBits", 512), "encryption.keyBits"),
        Arguments.of(with(base, "encryption.algorithm", "DES"), "encryption.algorithm"),
        Arguments.of(with(base, "encryption.type", "rot13"), "encryption.type"),
        Arguments.of(with(base, "encryption.type", "password"), "encryption.key"),
        Arguments.of(with(base, "encryption.key", "my own key"), "encryption.key"),
        Arguments.of(with(with(base, "encryption.type", "custom"), "encryption.key", "short"), "encryption.key"),
        Arguments.of(with(with(base, "encryption.type", "custom"), "encryption.key", " padded key "), "encryption.key"),
        Arguments.of(with(with(base, "encryption.enabled", false), "encryption.mode", "gcm"), "encryption.mode"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badFields")
  void badField_isTheOnlyErrorAndNamesTheField(JsonObject json, String field) {
    Decoded<SetJson.Create> d = SetJson.decodeCreate(json, DEFAULTS);
    assertFalse(d.isValid(), "accepted: " + json.encode());
    Set<String> fields = d.errors().stream().map(FieldError::field).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(field), fields, d.errors().toString());
    assertTrue(d.errors().stream().noneMatch(e -> e.message().isBlank()));
  }

  @Test
  void minimalSet_isValid() {
    assertTrue(SetJson.decodeCreate(minimal("Docs"), DEFAULTS).isValid());
  }

  @Test
  void destinationUrls_ofEveryKind_areAccepted() {
    for (String url : List.of("/mnt/usb/b247", "file:///mnt/usb/b247", "sftp://backup@nas:22/srv/b247",
        "ftp://user@ftp.example.com/b247", "ftps://user@ftp.example.com/b247", "s3://bucket/prefix?region=ap-southeast-2",
        "azure://account/container/prefix")) {
      Decoded<SetJson.Create> d = SetJson.decodeCreate(with(minimal("Docs"), "destinations[0].url", url), DEFAULTS);
      assertTrue(d.isValid(), url + ": " + d.errors());
    }
  }

  @Test
  void fullSet_isValid() {
    Decoded<SetJson.Create> d = SetJson.decodeCreate(SetFixtures.full("All"), DEFAULTS);
    assertTrue(d.isValid(), d.errors().toString());
  }

  @Test
  void everyProblem_isReportedAtOnce() {
    JsonObject json = with(with(with(minimal("Docs"), "name", ""), "schedules",
        arr(obj("{\"name\":\"S\",\"type\":\"daily\",\"every\":\"7m\"}"))), "encryption.mode", "ecb");
    List<String> fields = SetJson.decodeCreate(json, DEFAULTS).errors().stream().map(FieldError::field).toList();
    assertEquals(List.of("name", "schedules[0].every", "encryption.mode"), fields);
  }

  @Test
  void ecb_isRefusedWithTheReason() {
    String message = SetJson.decodeCreate(with(minimal("Docs"), "encryption.mode", "ECB"), DEFAULTS).errors()
        .get(0).message();
    assertTrue(message.contains("ECB is refused") && message.contains("gcm"), message);
  }

  @Test
  void passwordInUrl_isRefusedWithoutEchoingIt() {
    FieldError e = SetJson.decodeCreate(with(minimal("Docs"), "destinations[0].url", "sftp://bob:s3cret@nas/x"),
        DEFAULTS).errors().get(0);
    assertFalse(e.message().contains("s3cret"), e.message());
    assertTrue(e.message().contains("b247 set credentials"), e.message());
  }

  @Test
  void badKey_isNeverEchoed() {
    JsonObject json = with(with(minimal("Docs"), "encryption.type", "custom"), "encryption.key", "tiny");
    assertFalse(SetJson.decodeCreate(json, DEFAULTS).errors().get(0).message().contains("tiny"));
  }
}
