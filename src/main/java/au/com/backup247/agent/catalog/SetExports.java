package au.com.backup247.agent.catalog;

import au.com.backup247.agent.home.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Each backup set's settings exported beside its key (issue 11 item 10), so the catalog is no
 * longer their only copy: {@code keys/<setId>.set.json}, mode 0600 in the 0700 {@code keys/}
 * folder, written atomically ({@link PrivateFiles#write}):
 *
 * <pre>
 * {"format": "b247-set-export/1", "id": 1700000000000, "name": "Documents",
 *  "createdAt": 1700000000000, "updatedAt": 1700000000000, "settings": { ...the stored settings... }}
 * </pre>
 *
 * A deleted set's export moves to {@code keys/deleted/<setId>-<time>.set.json}, like its key.
 * {@code b247 catalog recover} reads them back. Never holds a key. Blocking: call from a worker.
 */
final class SetExports {
  static final String FORMAT = "b247-set-export/1";
  private static final Pattern NAME = Pattern.compile("(\\d+)\\.set\\.json");

  private final Path keys;

  public SetExports(Path keys) {
    this.keys = keys;
  }

  public Path file(long setId) {
    return keys.resolve(setId + ".set.json");
  }

  /** Writes (or replaces) the export of one set. */
  public void write(SetRow row) throws IOException {
    JsonObject doc = new JsonObject().put("format", FORMAT).put("id", row.id()).put("name", row.name())
        .put("createdAt", row.createdAt()).put("updatedAt", row.updatedAt()).put("settings", new JsonObject(row.json()));
    PrivateFiles.write(file(row.id()), (doc.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Moves a deleted set's export aside; returns where it went. */
  public Optional<Path> retire(long setId, long now) throws IOException {
    Path from = file(setId);
    if (!Files.exists(from)) {
      return Optional.empty();
    }
    Path deleted = PrivateFiles.createDir(keys.resolve("deleted"));
    Path to = deleted.resolve(setId + "-" + now + ".set.json");
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(to);
  }

  /** The exports found, and one line per file that could not be read. */
  public record Found(List<SetRow> rows, List<String> problems) {
  }

  public Found readAll() throws IOException {
    List<SetRow> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(keys)) {
      return new Found(rows, problems);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(keys)) {
      files = s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    for (Path p : files) {
      try {
        JsonObject o = new JsonObject(Files.readString(p, StandardCharsets.UTF_8));
        if (!FORMAT.equals(o.getString("format"))) {
          problems.add(p + ": not a set export (format " + o.getValue("format") + ")");
          continue;
        }
        rows.add(new SetRow(o.getLong("id"), o.getString("name"), o.getJsonObject("settings").encode(),
            o.getLong("createdAt"), o.getLong("updatedAt")));
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        problems.add(p + ": cannot be read: " + e.getMessage());
      }
    }
    return new Found(rows, problems);
  }

}
