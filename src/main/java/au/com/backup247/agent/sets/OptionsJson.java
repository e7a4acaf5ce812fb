package au.com.backup247.agent.sets;

import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON forms of the smaller sections of a set.
 *
 * <pre>
 * "deduplication": {"enabled": true, "scope": "all", "blockSize": "auto", "migrateData": false}
 *     scope all | path; blockSize "auto" or bytes 4096..268435456; migrateData needs enabled
 * "preBackupCommands": [{"name": "Mount", "workingDirectory": "/root", "command": "mount /mnt/nas",
 *                        "timeoutSeconds": 600}]            also "postBackupCommands"; 1..86400 s,
 *                                                            default 3600; up to 20 each
 * "others": {"tempDirectory": "/var/tmp/b247", "removeTempAfterBackup": true, "followLinks": true,
 *            "compression": "fast-local"}                   none | normal | fast | fast-local
 * </pre>
 */
final class OptionsJson {
  private static final Set<String> DEDUP_KEYS = Set.of("enabled", "scope", "blockSize", "migrateData");
  private static final Set<String> COMMAND_KEYS = Set.of("name", "workingDirectory", "command", "timeoutSeconds");
  private static final Set<String> OTHER_KEYS = Set.of("tempDirectory", "removeTempAfterBackup", "followLinks",
      "compression");
  static final int MAX_COMMANDS = 20;
  static final int MAX_COMMAND_CHARS = 8192;
  static final int MAX_TIMEOUT_SECONDS = 86_400;

  private OptionsJson() {
  }

  static Deduplication deduplication(JsonObject json, String prefix, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    f.rejectUnknown(DEDUP_KEYS, "a deduplication setting");
    boolean enabled = f.bool("enabled", true);
    Deduplication.Scope scope = f.label("scope", Deduplication.Scope.values(), Deduplication.Scope.ALL);
    int blockSize = 0;
    Object b = f.raw("blockSize");
    if (b instanceof Integer n && n >= Chunker.FIXED_SIZE_LOWEST && n <= Chunker.FIXED_SIZE_HIGHEST) {
      blockSize = n;
    } else if (b != null && !(b instanceof String s && s.trim().equalsIgnoreCase("auto"))) {
      f.error("blockSize", "v.blockSize", Chunker.FIXED_SIZE_LOWEST, Chunker.FIXED_SIZE_HIGHEST, b);
    }
    boolean migrate = f.bool("migrateData", false);
    if (migrate && !enabled) {
      f.error("migrateData", "v.migrateData");
    }
    return new Deduplication(enabled, scope, blockSize, migrate);
  }

  static JsonObject encode(Deduplication d) {
    return new JsonObject().put("enabled", d.enabled()).put("scope", d.scope().label())
        .put("blockSize", d.autoBlockSize() ? "auto" : d.blockSize()).put("migrateData", d.migrateData());
  }

  static List<CommandSpec> commands(SetFields top, String name, List<FieldError> errors) {
    List<CommandSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonObject> items = top.objects(name, MAX_COMMANDS);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        continue;
      }
      SetFields f = new SetFields(items.get(i), top.path(name + "[" + i + "]"), errors);
      f.rejectUnknown(COMMAND_KEYS, "a command setting");
      String n = f.text("name", true, 64);
      if (n != null && !names.add(SetFields.fold(n))) {
        f.error("name", "v.command.dup", n, name);
      }
      Path dir = f.localPath("workingDirectory", false);
      String command = f.string("command", true);
      if (command != null && (command.isBlank() || command.length() > MAX_COMMAND_CHARS || command.indexOf('\0') >= 0)) {
        f.error("command", "v.command", MAX_COMMAND_CHARS);
        command = null;
      }
      int timeout = f.integer("timeoutSeconds", CommandSpec.DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS);
      if (n != null && command != null) {
        out.add(new CommandSpec(n, dir, command, timeout));
      }
    }
    return out;
  }

  static JsonArray encode(List<CommandSpec> commands) {
    JsonArray out = new JsonArray();
    for (CommandSpec c : commands) {
      JsonObject o = new JsonObject().put("name", c.name());
      if (c.workingDirectory() != null) {
        o.put("workingDirectory", c.workingDirectory().toString());
      }
      out.add(o.put("command", c.command()).put("timeoutSeconds", c.timeoutSeconds()));
    }
    return out;
  }

  static Others others(JsonObject json, String prefix, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    f.rejectUnknown(OTHER_KEYS, "an \"others\" setting");
    Path temp = f.localPath("tempDirectory", false);
    boolean remove = f.bool("removeTempAfterBackup", true);
    boolean follow = f.bool("followLinks", true);
    CompressionSetting compression = CompressionSetting.DEFAULT;
    String c = f.string("compression", false);
    if (c != null) {
      compression = null;
      for (CompressionSetting s : CompressionSetting.values()) {
        if (s.label().equals(c.trim().toLowerCase(Locale.ROOT))) {
          compression = s;
        }
      }
      if (compression == null) {
        f.error("compression", "v.compression", c);
        compression = CompressionSetting.DEFAULT;
      }
    }
    return new Others(temp, remove, follow, compression);
  }

  static JsonObject encode(Others o) {
    JsonObject out = new JsonObject();
    if (o.tempDirectory() != null) {
      out.put("tempDirectory", o.tempDirectory().toString());
    }
    return out.put("removeTempAfterBackup", o.removeTempAfterBackup()).put("followLinks", o.followLinks())
        .put("compression", o.compression().label());
  }
}
