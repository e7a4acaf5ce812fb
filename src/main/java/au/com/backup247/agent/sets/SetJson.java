package au.com.backup247.agent.sets;

import au.com.backup247.agent.bandwidth.BandwidthControl;
import au.com.backup247.agent.bandwidth.Mode;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.retention.RetentionJson;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.Schedule;
import au.com.backup247.agent.schedule.ScheduleJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * JSON form of a backup set. Decoding checks every field and collects every error (with its full
 * path, e.g. {@code schedules[0].every}) instead of stopping at the first.
 *
 * <pre>
 * {
 *   "id": 1700000000000, "createdAt": ..., "updatedAt": ...   read-only (ignored on input)
 *   "name": "Documents",                  required, 1..128 characters, unique ignoring case
 *   "owner": "alice-laptop",              default: this machine's name
 *   "source": {...},                      see SourceJson
 *   "scheduleEnabled": true,              "Run scheduled backup for this backup set"
 *   "schedules": [{...}],                 see ScheduleJson; up to 50, names unique
 *   "destinations": [...], "backupMode": "sequential", "maxConcurrentDestinations": 2
 *                                         see DestinationJson
 *   "deduplication": {...},               see OptionsJson
 *   "retention": {...},                   see RetentionJson; default simple, 7 days
 *   "preBackupCommands": [...], "postBackupCommands": [...]    see OptionsJson
 *   "bandwidth": {...},                   see BandwidthJson; default off
 *   "others": {...},                      see OptionsJson
 *   "encryption": {...}                   see EncryptionJson; fixed at creation
 * }
 * </pre>
 * Encoding writes every setting, defaults included, so a GET body can be edited and PUT back.
 */
public final class SetJson {
  private static final Set<String> KEYS = Set.of("id", "createdAt", "updatedAt", "ownerId", "name", "owner", "source",
      "scheduleEnabled", "schedules", "destinations", "backupMode", "maxConcurrentDestinations", "deduplication",
      "retention", "preBackupCommands", "postBackupCommands", "bandwidth", "others", "encryption");
  static final int MAX_NAME = 128;
  static final int MAX_SCHEDULES = 50;

  private SetJson() {
  }

  /** Values filled in when a request leaves them out. */
  public record Defaults(Path home, String owner) {
    public Defaults {
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(owner, "owner");
    }
  }

  /** A decoded create request: the settings and, for password and custom keys, the key. */
  public record Create(SetSettings settings, String key) {
  }

  /** Decodes a create request. */
  public static Decoded<Create> decodeCreate(JsonObject json, Defaults defaults) {
    List<FieldError> errors = new ArrayList<>();
    SetSettings s = decode(json, defaults, null, errors);
    JsonObject enc = json.getValue("encryption") instanceof JsonObject o ? o : new JsonObject();
    String key = EncryptionJson.createKey(enc, "encryption", s == null ? null : s.encryption(), errors);
    return Decoded.of(s == null ? null : new Create(s, key), errors);
  }

  /**
   * Decodes an update. The encryption stays {@code fixed}: the request may leave it out or repeat it
   * unchanged; any difference is an error naming the field.
   */
  public static Decoded<SetSettings> decodeUpdate(JsonObject json, Defaults defaults, Encryption fixed) {
    List<FieldError> errors = new ArrayList<>();
    SetSettings s = decode(json, defaults, Objects.requireNonNull(fixed, "fixed"), errors);
    return Decoded.of(s, errors);
  }

  /** The settings stored with a catalog row (whose name column is the name). */
  public static Decoded<BackupSet> decodeStored(SetRow row, Defaults defaults) {
    JsonObject json = new JsonObject(row.json()).put("name", row.name());
    List<FieldError> errors = new ArrayList<>();
    Encryption enc = EncryptionJson.decode(json.getJsonObject("encryption", new JsonObject()), "encryption", errors);
    SetSettings s = enc == null ? null : decode(json, defaults, enc, errors);
    return Decoded.of(s == null ? null : new BackupSet(row.id(), row.createdAt(), row.updatedAt(), s, row.ownerId()),
        errors);
  }

  /**
   * Reads a set as {@code GET /api/v1/sets/{id}} and {@code b247.sets.get} return it (for the
   * scheduler and jobs, which get sets over the bus).
   */
  public static Decoded<BackupSet> decodeSet(JsonObject json, Defaults defaults) {
    JsonObject settings = json.copy();
    Object id = settings.remove("id");
    Object created = settings.remove("createdAt");
    Object updated = settings.remove("updatedAt");
    Object name = settings.remove("name");
    Long owner = settings.getLong("ownerId");
    settings.remove("ownerId");
    if (!(id instanceof Number i) || !(created instanceof Number c) || !(updated instanceof Number u)
        || !(name instanceof String n)) {
      return Decoded.of(null, List.of(FieldError.of("id", "v.stored")));
    }
    return decodeStored(new SetRow(i.longValue(), n, settings.encode(), c.longValue(), u.longValue(), owner), defaults);
  }

  private static SetSettings decode(JsonObject json, Defaults d, Encryption fixed, List<FieldError> errors) {
    SetFields f = new SetFields(json, "", errors);
    f.rejectUnknown(KEYS, "a backup set setting");
    String name = f.text("name", true, MAX_NAME);
    String owner = f.has("owner") ? f.text("owner", true, MAX_NAME) : d.owner();
    JsonObject src = f.object("source");
    Source source = src == null ? null : SourceJson.decode(src, "source", d.home(), errors);
    boolean scheduleEnabled = f.bool("scheduleEnabled", true);
    List<Schedule> schedules = schedules(f, errors);
    Destinations destinations = DestinationJson.decode(f, errors);
    JsonObject o = f.object("deduplication");
    Deduplication dedup = o == null ? null : OptionsJson.deduplication(o, "deduplication", errors);
    o = f.object("retention");
    RetentionPolicy retention = null;
    if (o != null) {
      Decoded<RetentionPolicy> r = RetentionJson.decode(o, "retention");
      errors.addAll(r.errors());
      retention = r.value().orElse(null);
    }
    List<CommandSpec> pre = OptionsJson.commands(f, "preBackupCommands", errors);
    List<CommandSpec> post = OptionsJson.commands(f, "postBackupCommands", errors);
    o = f.object("bandwidth");
    BandwidthControl bandwidth = o == null ? null : BandwidthJson.decode(o, "bandwidth", errors);
    if (bandwidth != null && bandwidth.enabled() && bandwidth.mode() == Mode.SHARED
        && destinations.mode() == Destinations.Mode.CONCURRENT) {
      f.error("bandwidth.mode", "v.bandwidth.shared");
    }
    o = f.object("others");
    Others others = o == null ? null : OptionsJson.others(o, "others", errors);
    Encryption encryption = encryption(f, fixed, errors);
    if (!errors.isEmpty()) {
      return null;
    }
    return new SetSettings(name, owner, source, scheduleEnabled, schedules, destinations, dedup, retention, pre,
        post, bandwidth, others, encryption);
  }

  private static List<Schedule> schedules(SetFields f, List<FieldError> errors) {
    List<Schedule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonObject> items = f.objects("schedules", MAX_SCHEDULES);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        continue;
      }
      String at = "schedules[" + i + "]";
      Decoded<Schedule> d = ScheduleJson.decode(items.get(i), at);
      errors.addAll(d.errors());
      d.value().ifPresent(s -> {
        if (!names.add(SetFields.fold(s.name()))) {
          errors.add(FieldError.of(at + ".name", "v.schedule.dup", s.name()));
        }
        out.add(s);
      });
    }
    return out;
  }

  private static Encryption encryption(SetFields f, Encryption fixed, List<FieldError> errors) {
    JsonObject o = f.object("encryption");
    if (o == null) {
      return null;
    }
    if (fixed == null) {
      return EncryptionJson.decode(o, "encryption", errors);
    }
    if (f.has("encryption")) {
      Encryption given = EncryptionJson.decode(o, "encryption", errors);
      if (o.containsKey("key")) {
        errors.add(FieldError.of("encryption.key", "v.encryption.fixed"));
      }
      if (given != null) {
        unchanged("enabled", given.enabled(), fixed.enabled(), errors);
        if (given.enabled() && fixed.enabled()) {
          unchanged("type", given.type().label(), fixed.type().label(), errors);
          unchanged("keyBits", given.keyBits(), fixed.keyBits(), errors);
          unchanged("mode", given.mode().label(), fixed.mode().label(), errors);
        }
      }
    }
    return fixed;
  }

  private static void unchanged(String field, Object given, Object fixed, List<FieldError> errors) {
    if (!given.equals(fixed)) {
      errors.add(FieldError.of("encryption." + field, "v.encryption.fixedIs", fixed));
    }
  }

  /** The full JSON of a stored set: id, timestamps and every setting. Never a key. */
  public static JsonObject encode(BackupSet set) {
    return new JsonObject().put("id", set.id()).put("name", set.settings().name())
        .put("createdAt", set.createdAt()).put("updatedAt", set.updatedAt())
        .mergeIn(encodeSettings(set.settings()));
  }

  /** Every setting, name included; {@code decode(encodeSettings(s))} gives back {@code s}. */
  public static JsonObject encodeSettings(SetSettings s) {
    JsonObject out = new JsonObject().put("name", s.name()).put("owner", s.owner())
        .put("source", SourceJson.encode(s.source())).put("scheduleEnabled", s.scheduleEnabled())
        .put("schedules", new JsonArray(s.schedules().stream().map(ScheduleJson::encode).toList()));
    DestinationJson.encode(s.destinations(), out);
    return out.put("deduplication", OptionsJson.encode(s.deduplication()))
        .put("retention", RetentionJson.encode(s.retention()))
        .put("preBackupCommands", OptionsJson.encode(s.preBackupCommands()))
        .put("postBackupCommands", OptionsJson.encode(s.postBackupCommands()))
        .put("bandwidth", BandwidthJson.encode(s.bandwidth()))
        .put("others", OptionsJson.encode(s.others()))
        .put("encryption", EncryptionJson.encode(s.encryption()));
  }

  /** What the catalog stores: every setting except the name (a column of its own, so a rename is one update). */
  public static String storedForm(SetSettings s) {
    JsonObject o = encodeSettings(s);
    o.remove("name");
    return o.encode();
  }
}
