package au.com.backup247.agent.sets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Backup set documents for the tests, and a way to change one field of them. */
final class SetFixtures {
  static final SetJson.Defaults DEFAULTS = new SetJson.Defaults(Path.of("/home/alice"), "host-1");
  /** Marks a field to remove in {@link #with}. */
  static final Object REMOVE = new Object();

  private SetFixtures() {
  }

  /** The smallest valid set: a name, one shortcut, one destination. */
  static JsonObject minimal(String name) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("shortcuts", new JsonArray().add("documents")))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file:///mnt/b247")));
  }

  /** A set using every section. */
  static JsonObject full(String name) {
    return new JsonObject(("""
        {"name": "%s", "owner": "alice-laptop",
         "source": {"home": "/home/alice", "shortcuts": ["documents", "desktop"], "paths": ["/srv/data", "/etc/hosts"],
           "excludedPaths": ["/srv/data/cache", "/home/alice/Documents/tmp"],
           "filters": [
             {"name": "Filter-1", "action": "include", "excludeAllUnmatched": true, "match": "ends-with",
              "patterns": ["x", "X"], "apply": "files", "top": "/home/alice/Desktop"},
             {"name": "No temp", "action": "exclude", "match": "regex", "patterns": ["~.*", ".*\\\\.tmp"]}]},
         "scheduleEnabled": true,
         "schedules": [
           {"name": "Weekly-1", "type": "weekly", "weekdays": ["mon", "fri"], "every": "4h"},
           {"name": "Monthly-1", "type": "monthly", "monthDay": {"ordinal": "last", "weekday": "friday"},
            "at": "20:00", "stopAfterHours": 3, "runRetentionAfterBackup": true}],
         "destinations": [
           {"name": "Local-1", "url": "file:///mnt/usb/b247"},
           {"name": "Office", "url": "sftp://backup@nas:22/srv/b247"}],
         "backupMode": "concurrent", "maxConcurrentDestinations": 2,
         "deduplication": {"enabled": true, "scope": "path", "blockSize": 1048576, "migrateData": true},
         "retention": {"type": "advanced", "policies": [{"name": "Daily-1", "type": "daily", "days": 7}]},
         "preBackupCommands": [{"name": "Pre-Backup-1", "workingDirectory": "/tmp", "command": "ls -la",
                                "timeoutSeconds": 60}],
         "postBackupCommands": [{"name": "Notify", "command": "echo done"}],
         "bandwidth": {"enabled": true, "mode": "independent", "limits": [
           {"name": "Always", "rate": "10Mibit/s", "always": true},
           {"name": "Office hours", "rate": "100Kibit/s",
            "period": {"days": ["mon", "tue"], "from": "09:00", "to": "17:00"}}]},
         "others": {"tempDirectory": "/var/tmp/b247", "removeTempAfterBackup": false, "followLinks": false,
                    "compression": "normal"},
         "encryption": {"enabled": true, "type": "custom", "algorithm": "AES", "keyBits": 128, "mode": "cbc",
                        "key": "correct horse battery"}}
        """).formatted(name));
  }

  /** A copy of {@code base} with the field at {@code path} ("a.b[1].c") set to {@code value} or removed. */
  static JsonObject with(JsonObject base, String path, Object value) {
    JsonObject copy = base.copy();
    String[] parts = path.split("\\.");
    Object node = copy;
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      String part = parts[i];
      int bracket = part.indexOf('[');
      String key = bracket < 0 ? part : part.substring(0, bracket);
      JsonObject obj = (JsonObject) node;
      if (bracket < 0) {
        if (last) {
          if (value == REMOVE) {
            obj.remove(key);
          } else {
            obj.put(key, value);
          }
          return copy;
        }
        if (!(obj.getValue(key) instanceof JsonObject)) {
          obj.put(key, new JsonObject());
        }
        node = obj.getJsonObject(key);
      } else {
        int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        JsonArray array = obj.getJsonArray(key);
        if (last) {
          array.set(index, value);
          return copy;
        }
        node = array.getJsonObject(index);
      }
    }
    return copy;
  }
}
