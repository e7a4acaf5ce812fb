package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * The restore filter's search (guide ch. 13.3) through the REST API, with the four examples of
 * appendix B ("Example Scenarios for Restore Filter") over the tree they describe: Location
 * {@code .../Users/admin/Documents/My Documents/TestFiles}, search subfolders, match case.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestoreSearchTest {
  private static final long MTIME = 1_650_000_000_000L;
  private JobsHarness h;
  private long setId;
  private Path location;

  @BeforeEach
  void backUp(Vertx vertx, @TempDir Path dir) throws Exception {
    h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path docs = dir.resolve("Users/admin/Documents");
    location = docs.resolve("My Documents/TestFiles");
    for (String f : List.of("Agenda.docx", "apple.txt", "Asset.png", "Assets/Archive.zip", "Assets/logo.svg",
        "BA.txt", "Config.cfg", "DataSet_01.csv", "Logging/debug.log", "Logging/Tag", "Settings/preset.ini",
        "Settings/Reset.txt", "settings.txt", "SpreadSheet_05.xlsx", "spreadsheet_05.xlsx",
        "SpreadSheet_05.xlsx.bak", "SpreadSheet_06.xlsx", "Sub/SpreadSheet_05.xlsx", "Sub/Song.OGG", "Sub/UpSet.md",
        "Sub/Alpha/image.png")) {
      Path p = location.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "data of " + f);
      Files.setLastModifiedTime(p, FileTime.fromMillis(MTIME));
    }
    // outside the location: never found
    for (String f : List.of("My Documents/Other/Setup.exe", "My Documents/ASet.txt", "SpreadSheet_05.xlsx")) {
      Files.createDirectories(docs.resolve(f).getParent());
      Files.writeString(docs.resolve(f), f);
    }
    setId = h.create(JobsHarness.set("Documents", docs, List.of(dir.resolve("d1"))));
    h.startBackup(setId);
    assertEquals("Completed", h.awaitReports(setId, 1).getJsonObject(0).getString("status"));
  }

  private HttpResponse<Buffer> search(String query) {
    return h.get("sets/" + setId + "/search?destination=Local-1&folder="
        + URLEncoder.encode(location.toString(), StandardCharsets.UTF_8) + "&" + query);
  }

  private JsonObject page(String query) {
    HttpResponse<Buffer> r = search(query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** "name @ folder relative to the location" of every item (one page of at most 1000). */
  private Set<String> found(String query) {
    JsonObject p = page(query + "&perPage=1000");
    assertEquals(p.getJsonArray("items").size(), p.getLong("total"));
    return names(p.getJsonArray("items"));
  }

  private Set<String> names(JsonArray items) {
    Set<String> out = new TreeSet<>();
    for (Object o : items) {
      JsonObject i = (JsonObject) o;
      Path folder = Path.of(i.getString("folder"));
      assertEquals(i.getString("path"), folder.resolve(i.getString("name")).toString());
      String rel = location.relativize(folder).toString();
      out.add(i.getString("name") + " @ " + (rel.isEmpty() ? "." : rel));
    }
    return out;
  }

  @Test
  void example1_contains_Set_filesAndDirectories_matchCase() {
    assertEquals(Set.of("DataSet_01.csv @ .", "Settings @ .", "UpSet.md @ Sub"),
        found("subfolders=true&kind=both&mode=contains&pattern=Set&matchCase=true"));
  }

  @Test
  void example2_startsWith_A_filesOnly_matchCase() {
    assertEquals(Set.of("Agenda.docx @ .", "Asset.png @ .", "Archive.zip @ Assets"),
        found("subfolders=true&kind=files&mode=starts-with&pattern=A&matchCase=true"));
  }

  @Test
  void example3_endsWith_g_filesAndDirectories_matchCase() {
    assertEquals(Set.of("Asset.png @ .", "Config.cfg @ .", "Logging @ .", "debug.log @ Logging", "Tag @ Logging",
            "logo.svg @ Assets", "image.png @ Sub/Alpha"),
        found("subfolders=true&kind=both&mode=ends-with&pattern=g&matchCase=true"));
  }

  @Test
  void example4_exact_SpreadSheet05_filesAndDirectories_matchCase() {
    assertEquals(Set.of("SpreadSheet_05.xlsx @ .", "SpreadSheet_05.xlsx @ Sub"),
        found("subfolders=true&kind=both&mode=exact&pattern=SpreadSheet_05.xlsx&matchCase=true"));
  }

  @Test
  void withoutMatchCase_orSubfolders_orWithDirectoriesOnly_theResultsChange() {
    assertEquals(Set.of("SpreadSheet_05.xlsx @ .", "SpreadSheet_05.xlsx @ Sub", "spreadsheet_05.xlsx @ ."),
        found("kind=both&mode=exact&pattern=spreadsheet_05.XLSX&matchCase=false"));
    assertEquals(Set.of("SpreadSheet_05.xlsx @ ."),
        found("subfolders=false&mode=exact&pattern=SpreadSheet_05.xlsx&matchCase=true"));
    assertEquals(Set.of("Logging @ ."), found("kind=directories&mode=ends-with&pattern=g&matchCase=true"));
    // the defaults: subfolders on, both kinds, contains, case ignored
    assertEquals(Set.of("Asset.png @ .", "Assets @ .", "DataSet_01.csv @ .", "Settings @ .", "preset.ini @ Settings",
        "Reset.txt @ Settings", "settings.txt @ .", "UpSet.md @ Sub"), found("pattern=set"));
  }

  @Test
  void results_arePaged_withNameFolderSizeAndDateModified() {
    String q = "mode=ends-with&pattern=g&matchCase=true&perPage=3";
    List<JsonObject> all = new ArrayList<>();
    for (int p = 1; p <= 3; p++) {
      JsonObject page = page(q + "&page=" + p);
      assertEquals(7, page.getLong("total"));
      assertEquals(3, page.getLong("pages"));
      assertEquals(p < 3 ? 3 : 1, page.getJsonArray("items").size(), page.encodePrettily());
      page.getJsonArray("items").forEach(o -> all.add((JsonObject) o));
    }
    assertEquals(0, page(q + "&page=4").getJsonArray("items").size());
    List<String> paths = all.stream().map(o -> o.getString("path")).toList();
    assertEquals(7, new TreeSet<>(paths).size(), "no entry on two pages: " + paths);
    JsonObject cfg = all.stream().filter(o -> o.getString("name").equals("Config.cfg")).findFirst().orElseThrow();
    assertEquals(location.toString(), cfg.getString("folder"));
    assertEquals("file", cfg.getString("kind"));
    assertEquals("data of Config.cfg".length(), cfg.getLong("size"));
    assertEquals(MTIME, cfg.getLong("mtime"));
  }

  @Test
  void badParameters_are400_namingThem_andAnUnknownFolderIs404() {
    for (String[] c : new String[][] {{"mode=similar", "mode"}, {"kind=mails", "kind"}, {"perPage=0", "perPage"},
        {"page=x", "page"}, {"matchCase=maybe", "matchCase"}}) {
      HttpResponse<Buffer> r = search(c[0]);
      assertEquals(400, r.statusCode(), c[0] + ": " + r.bodyAsString());
      assertEquals(List.of(c[1]), badFields(r), r.bodyAsString());
    }
    HttpResponse<Buffer> r = h.get("sets/" + setId + "/search?destination=Local-1&folder=/no/such/folder&pattern=x");
    assertEquals(404, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsString().contains("/no/such/folder"), r.bodyAsString());
  }

  @Test
  void badParameters_areAllNamedInOneAnswer() {
    HttpResponse<Buffer> r = search("kind=mails&matchCase=maybe&perPage=0");
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals(List.of("kind", "matchCase", "perPage"), badFields(r), r.bodyAsString());
    r = h.get("sets/" + setId + "/tree?destination=Local-1&path=relative/folder&allVersions=maybe");
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals(List.of("path", "allVersions"), badFields(r), r.bodyAsString());
  }

  /** The fields a validation answer names, in its order. */
  private static List<String> badFields(HttpResponse<Buffer> r) {
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation", error.getString("code"), r.bodyAsString());
    List<String> fields = new ArrayList<>();
    error.getJsonArray("fields").forEach(o -> fields.add(((JsonObject) o).getString("field")));
    return fields;
  }
}
