package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.sets.SetJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The settings {@code set create} makes from its flags and {@code set template} prints: valid for
 * the agent's own decoder and of the shape the OpenAPI document gives (a small checker of the
 * JSON-schema words the document uses: type, required, additionalProperties, properties, items,
 * enum, $ref, allOf, oneOf, minimum, maximum, pattern); schedules in words and their next run.
 */
class SetDraftTest {
  private static final SetJson.Defaults DEFAULTS = new SetJson.Defaults(Path.of("/home/alice"), "host-1");
  private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

  private static JsonObject openApi() throws IOException {
    try (InputStream in = SetDraftTest.class.getResourceAsStream("/api/openapi.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void template_isCommented_validForTheAgent_andOfTheDocumentedShape() throws IOException {
    String template = SetDraft.template("/home/alice");
    assertTrue(template.lines().filter(l -> l.strip().startsWith("//")).count() > 20, template);
    JsonObject set = new JsonObject(SetDraft.stripComments(template));
    var decoded = SetJson.decodeCreate(set, DEFAULTS);
    assertTrue(decoded.isValid(), decoded.errors().toString());
    for (String key : List.of("source", "scheduleEnabled", "schedules", "destinations", "backupMode",
        "maxConcurrentDestinations", "deduplication", "retention", "preBackupCommands", "postBackupCommands",
        "bandwidth", "others", "encryption")) {
      assertTrue(set.containsKey(key), "the template shows " + key);
    }
    List<String> problems = new ArrayList<>();
    JsonObject doc = openApi();
    check(doc, new JsonObject().put("$ref", "#/components/schemas/BackupSetInput"), set, "set", problems);
    assertEquals(List.of(), problems);
  }

  @Test
  void theSchemaChecker_seesWhatIsWrong() throws IOException {
    JsonObject set = new JsonObject(SetDraft.stripComments(SetDraft.template("/home/alice")));
    set.getJsonArray("schedules").getJsonObject(0).put("at", "9pm").put("colour", "red");
    set.getJsonObject("retention").put("keepDays", "30");
    List<String> problems = new ArrayList<>();
    check(openApi(), new JsonObject().put("$ref", "#/components/schemas/BackupSetInput"), set, "set", problems);
    assertEquals(List.of("set.retention.keepDays: not integer",
        "set.schedules[0].at: 9pm does not match ^([01][0-9]|2[0-3]):[0-5][0-9]$", "set.schedules[0]: unknown key colour"),
        problems.stream().sorted().toList());
  }

  @Test
  void flags_makeASet_withNamedDestinations_aScheduleAndRetention() {
    JsonObject set = SetDraft.of("docs", List.of("/srv/docs", "/srv/photos"), List.of("/mnt/usb/b247",
        "sftp://backup@nas/b247", "file:///mnt/other"), "daily 21:00", 30);
    assertEquals(new JsonArray().add("/srv/docs").add("/srv/photos"), set.getJsonObject("source").getJsonArray("paths"));
    assertEquals("[{\"name\":\"Local-1\",\"url\":\"file:///mnt/usb/b247\"},{\"name\":\"SFTP-1\",\"url\":"
        + "\"sftp://backup@nas/b247\"},{\"name\":\"Local-2\",\"url\":\"file:///mnt/other\"}]",
        set.getJsonArray("destinations").encode());
    assertEquals("{\"name\":\"Daily-1\",\"type\":\"daily\",\"at\":\"21:00\"}", set.getJsonArray("schedules")
        .getJsonObject(0).encode());
    assertEquals(30, set.getJsonObject("retention").getInteger("keepDays"));
    var decoded = SetJson.decodeCreate(set, DEFAULTS);
    assertTrue(decoded.isValid(), decoded.errors().toString());
  }

  @Test
  void scheduleWords_coverEveryTypeTheFlagTakes() {
    assertEquals("{\"name\":\"Daily-1\",\"type\":\"daily\",\"every\":\"1h\"}",
        SetDraft.schedule("daily every 1h").encode());
    assertEquals("{\"name\":\"Daily-1\",\"type\":\"daily\",\"at\":\"07:30\"}", SetDraft.schedule("7:30").encode());
    assertEquals("{\"name\":\"Weekly-1\",\"type\":\"weekly\",\"weekdays\":[\"mon\",\"fri\"],\"at\":\"21:00\"}",
        SetDraft.schedule("Weekly mon,fri 21:00").encode());
    assertEquals("{\"name\":\"Monthly-1\",\"type\":\"monthly\",\"monthDay\":{\"day\":\"last\"},\"at\":\"23:00\"}",
        SetDraft.schedule("monthly last 23:00").encode());
    assertEquals(15, SetDraft.schedule("monthly 15 01:00").getJsonObject("monthDay").getInteger("day"));
    assertEquals(null, SetDraft.schedule("none"));
    AgentException bad = assertThrows(AgentException.class, () -> SetDraft.schedule("at nine"));
    assertTrue(bad.getMessage().startsWith("--schedule \"at nine\": write it as \"daily 21:00\""), bad.getMessage());
  }

  @Test
  void comments_areBlankedOutsideStrings_keepingLinesAndColumns() {
    String text = "{\"url\": \"sftp://h//x\", // a comment\n  \"n\": 1} // end";
    String stripped = SetDraft.stripComments(text);
    assertEquals(text.length(), stripped.length());
    assertEquals("{\"url\": \"sftp://h//x\",             \n  \"n\": 1}       ", stripped);
    assertEquals("sftp://h//x", new JsonObject(stripped).getString("url"));
  }

  @Test
  void nextRun_andAgo_inTheUsersWords() {
    JsonObject set = new JsonObject().put("schedules", new JsonArray()
        .add(SetDraft.schedule("daily 21:00")).add(SetDraft.schedule("weekly sat 06:00")));
    Instant morning = ZonedDateTime.of(2026, 12, 7, 9, 0, 0, 0, SYDNEY).toInstant();
    assertEquals("next run today 21:00", SetSchedules.nextRunText(set, morning, SYDNEY));
    Instant night = ZonedDateTime.of(2026, 12, 7, 22, 0, 0, 0, SYDNEY).toInstant();
    assertEquals("next run tomorrow 21:00", SetSchedules.nextRunText(set, night, SYDNEY));
    set.getJsonArray("schedules").getJsonObject(0).put("enabled", false);
    assertEquals("next run Sat 12 Dec 06:00", SetSchedules.nextRunText(set, night, SYDNEY));
    assertEquals("schedules paused", SetSchedules.nextRunText(set.copy().put("scheduleEnabled", false), night, SYDNEY));
    assertEquals("no schedule", SetSchedules.nextRunText(new JsonObject(), night, SYDNEY));
    assertEquals("3 h ago", SetSchedules.ago(morning, morning.plusSeconds(3 * 3600 + 59)));
    assertEquals("12 min ago", SetSchedules.ago(morning, morning.plusSeconds(12 * 60)));
    assertEquals("4 days ago", SetSchedules.ago(morning, morning.plusSeconds(4 * 86400 + 5)));
    assertEquals("weekly (sat) at 06:00", SetSchedules.describe(SetDraft.schedule("weekly sat 06:00")));
  }

  /** Checks {@code value} against {@code schema} (the words the OpenAPI document uses), adding each problem. */
  private static void check(JsonObject doc, JsonObject schema, Object value, String at, List<String> problems) {
    if (schema.containsKey("$ref")) {
      String[] parts = schema.getString("$ref").substring(2).split("/");
      JsonObject target = doc;
      for (String p : parts) {
        target = target.getJsonObject(p);
      }
      check(doc, target, value, at, problems);
      return;
    }
    if (schema.containsKey("allOf")) {
      schema.getJsonArray("allOf").forEach(s -> check(doc, (JsonObject) s, value, at, problems));
    }
    if (schema.containsKey("oneOf")) {
      long fits = schema.getJsonArray("oneOf").stream().filter(s -> {
        List<String> p = new ArrayList<>();
        check(doc, (JsonObject) s, value, at, p);
        return p.isEmpty();
      }).count();
      if (fits != 1) {
        problems.add(at + ": fits " + fits + " of oneOf");
      }
    }
    String type = schema.getString("type");
    boolean typeOk = type == null || switch (type) {
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Integer || value instanceof Long;
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      default -> false;
    };
    if (!typeOk) {
      problems.add(at + ": not " + type);
      return;
    }
    if (schema.containsKey("enum") && schema.getJsonArray("enum").stream()
        .noneMatch(e -> e.toString().equalsIgnoreCase(String.valueOf(value)))) {
      problems.add(at + ": " + value + " is not one of " + schema.getJsonArray("enum").encode());
    }
    if (value instanceof String s && schema.containsKey("pattern") && !s.matches(schema.getString("pattern"))) {
      problems.add(at + ": " + s + " does not match " + schema.getString("pattern"));
    }
    if (value instanceof Number n && (schema.containsKey("minimum") && n.longValue() < schema.getLong("minimum")
        || schema.containsKey("maximum") && n.longValue() > schema.getLong("maximum"))) {
      problems.add(at + ": " + n + " out of range");
    }
    if (value instanceof JsonObject o) {
      JsonObject props = schema.getJsonObject("properties", new JsonObject());
      schema.getJsonArray("required", new JsonArray()).forEach(r -> {
        if (!o.containsKey((String) r)) {
          problems.add(at + ": missing " + r);
        }
      });
      for (String key : o.fieldNames()) {
        if (props.containsKey(key)) {
          check(doc, props.getJsonObject(key), o.getValue(key), at + "." + key, problems);
        } else if (Boolean.FALSE.equals(schema.getValue("additionalProperties")) && !schema.containsKey("allOf")) {
          problems.add(at + ": unknown key " + key);
        }
      }
    }
    if (value instanceof JsonArray a && schema.containsKey("items")) {
      for (int i = 0; i < a.size(); i++) {
        check(doc, schema.getJsonObject("items"), a.getValue(i), at + "[" + i + "]", problems);
      }
    }
    assertTrue(type == null || type.equals(type.toLowerCase(Locale.ROOT)));
  }
}
