package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * A set's excluded paths and filters (guide ch. 9.5 "Source") are applied by the agent's backups:
 * a backup through the REST API, then a restore of everything to an alternate folder, holds
 * exactly the selected entries.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SourceSelectionTest {

  private static void write(Path root, String... files) throws Exception {
    for (String f : files) {
      Path p = root.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "content of " + f);
    }
  }

  private static JsonObject filter(String name, String action, boolean unmatched, String match, String pattern,
      String apply, Path top) {
    JsonObject f = new JsonObject().put("name", name).put("action", action).put("excludeAllUnmatched", unmatched)
        .put("match", match).put("patterns", new JsonArray().add(pattern)).put("apply", apply);
    return top == null ? f : f.put("top", top.toString());
  }

  /** Every file and folder under {@code root}, relative, folders with a trailing "/". */
  private static TreeSet<String> entries(Path root) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
    }
    return out;
  }

  @Test
  void excludedPathsAndFilters_backUpExactlyTheSelectedEntries(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    write(src, "a.txt", "a.log", "cache/x.bin", "cache/deeper/y.bin", "docs/r.txt", "docs/notes.log",
        "docs/secret.txt", "docs/tmp/t.txt", "docs/cache/kept-because-not-excluded.txt", "photos/p1.jpg",
        "photos/p2.png", "photos/sub/p3.jpg", "photos/sub/p4.txt", "build-out/f.txt", "other/build.txt");
    JsonObject set = JobsHarness.set("Filtered", src, List.of(dir.resolve("d1")));
    set.getJsonObject("source")
        .put("excludedPaths", new JsonArray().add(src.resolve("cache").toString())
            .add(src.resolve("docs/tmp").toString()).add(src.resolve("docs/secret.txt").toString()))
        .put("filters", new JsonArray()
            // would include the excluded "cache" folder: the excluded path still wins
            .add(filter("Keep-cache", "include", false, "exact", "cache", "folders", null))
            .add(filter("No-logs", "exclude", false, "ends-with", ".log", "files", null))
            .add(filter("No-build", "exclude", false, "starts-with", "build", "folders", null))
            .add(filter("Only-jpg", "include", true, "ends-with", ".jpg", "files", src.resolve("photos"))));
    long setId = h.create(set);
    h.startBackup(setId);
    JsonObject report = h.awaitReports(setId, 1).getJsonObject(0);
    assertEquals("Completed", report.getString("status"), report.encodePrettily());

    Path alt = dir.resolve("alt");
    HttpResponse<Buffer> r = h.post("sets/" + setId + "/restore", new JsonObject().put("destination", "Local-1")
        .put("target", alt.toString()));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    JsonObject restore = h.awaitStatus(r.bodyAsJsonObject().getLong("reportId"), "Completed");
    assertEquals("Completed", restore.getString("status"));

    assertEquals(new TreeSet<>(List.of("a.txt", "docs/", "docs/r.txt", "docs/cache/",
            "docs/cache/kept-because-not-excluded.txt", "other/", "other/build.txt", "photos/", "photos/p1.jpg",
            "photos/sub/", "photos/sub/p3.jpg")),
        entries(RepoFixture.under(alt, src)));
    assertEquals("content of photos/sub/p3.jpg", Files.readString(RepoFixture.under(alt, src)
        .resolve("photos/sub/p3.jpg")));
  }
}
