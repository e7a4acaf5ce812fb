package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Restore screen (guide ch. 13, appendix B) in a real browser against a real agent: a set backed
 * up twice through the API into a local folder; restores as of the first job to alternate folders
 * through the lazily loaded tree (a folder's checkbox is its whole content, a partly chosen folder
 * shows the mixed state) and through the search filter, comparing the restored bytes with the
 * originals; the four examples of appendix B run from the screen; "delete unmatched data" asks first;
 * hostile file names are shown as text and nothing runs. Screenshots in target/console-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String IMG = "<img src=x onerror=alert(1)>";
  /** "><script>alert(2)</script> as a path: a folder and the file in it (a name cannot hold a slash). */
  private static final String SCRIPT_DIR = "\"><script>alert(2)<";
  private static final String SCRIPT_FILE = "script>";
  private static final String SET_NAME = "Docs <img src=x onerror=alert(3)>";
  /** The files of appendix B's location (as in RestoreSearchTest), plus hostile names. */
  private static final List<String> FILES = List.of("Agenda.docx", "apple.txt", "Asset.png", "Assets/Archive.zip",
      "Assets/logo.svg", "BA.txt", "Config.cfg", "DataSet_01.csv", "Logging/debug.log", "Logging/Tag",
      "Settings/preset.ini", "Settings/Reset.txt", "settings.txt", "SpreadSheet_05.xlsx", "spreadsheet_05.xlsx",
      "SpreadSheet_05.xlsx.bak", "SpreadSheet_06.xlsx", "Sub/SpreadSheet_05.xlsx", "Sub/Song.OGG", "Sub/UpSet.md",
      "Sub/Alpha/image.png", IMG, SCRIPT_DIR + "/" + SCRIPT_FILE);

  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static String base;
  static Path location;
  static long setId;
  /** Every file's content as of the first job, by its path relative to the location. */
  static final Map<String, String> FIRST = new LinkedHashMap<>();
  static int shot;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void backUpTwiceAndLogIn() throws Exception {
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    Path docs = dir.resolve("data/Users/admin/Documents");
    location = docs.resolve("My Documents/TestFiles");
    for (String f : FILES) {
      Path p = location.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "first version of " + f + "\n".repeat(f.length()));
      FIRST.put(f, Files.readString(p));
    }
    CONSOLE.createAdmin();
    setId = post("sets", new JsonObject().put("name", SET_NAME)
        .put("source", new JsonObject().put("paths", new JsonArray().add(docs.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("dest"))))
        .put("schedules", new JsonArray()), 201).getLong("id");
    backUp();
    // the second job: a changed file, a deleted one and a new one
    Files.writeString(location.resolve("Config.cfg"), "second version, longer than the first one");
    Files.delete(location.resolve("BA.txt"));
    Files.writeString(location.resolve("Later.txt"), "only in the second job");
    backUp();

    browser = CONSOLE.openBrowser();
    browser.logIn(base + "/restore", "admin", PASSWORD, "Restore");
  }

  private static JsonObject post(String path, JsonObject body, int status) throws Exception {
    return send("POST", path, body, status);
  }

  private static JsonObject send(String method, String path, JsonObject body, int status) throws Exception {
    return agent.send(method, path, body, status);
  }


  private static void backUp() throws Exception {
    long report = post("sets/" + setId + "/backup", new JsonObject(), 202).getJsonArray("jobs").getJsonObject(0)
        .getLong("id");
    AgentProcess.await("backup report " + report + " to end", 60, () -> {
      try {
        return !"In progress".equals(agent.getJson("jobs/" + report + "?logLimit=1").getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("Completed", agent.getJson("jobs/" + report + "?logLimit=1").getString("status"));
  }

  // ------------------------------------------------------------------------------------ page helpers

  private static void shoot(String what) throws Exception {
    browser.screenshot(String.format("restore-%02d-%s", ++shot, what));
    browser.assertAccessible("restore " + what);
    browser.assertNoScriptErrors();
    assertNothingInjected();
  }

  /** No markup from a name became an element, no dialog opened, no script beyond the console's own. */
  private static void assertNothingInjected() {
    assertEquals(0L, browser.script("return document.querySelectorAll('img[src=x], main script').length;"));
    try {
      String text = browser.driver.switchTo().alert().getText();
      throw new AssertionError("a script ran and opened an alert: " + text);
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  private static Select select(String label) {
    return new Select(browser.input(label));
  }

  /** The set's restore screen, as of the oldest restore point (the first job). */
  private static void openAsOfFirstJob() {
    browser.driver.get(base + "/restore");
    browser.awaitHeading("Restore");
    select("Backup set").selectByVisibleText(SET_NAME);
    browser.await("the restore points", d -> select("As of job").getOptions().size() == 2);
    Select job = select("As of job");
    job.selectByIndex(1);
    entry("/" + location.getName(0)); // the tree of the first job shows its top folder
  }

  private static WebElement entry(String path) {
    return browser.await("the tree entry " + path, d -> (WebElement) browser.script(
        "return [...document.querySelectorAll('[data-tree] li[data-path]')].find(e => e.dataset.path === arguments[0])"
            + " || null;", path));
  }

  private static WebElement box(String path) {
    return entry(path).findElement(By.cssSelector(":scope > .tree-row > input[type=checkbox]"));
  }

  /** Opens every folder from / down to folder that is not open yet, each loaded when opened. */
  private static void openTo(Path folder) {
    browser.find("[data-tree][data-ready]"); // the tree opened down to the backed-up folder
    Path p = folder.getRoot();
    for (Path part : folder) {
      p = p.resolve(part);
      WebElement twisty = entry(p.toString()).findElement(By.cssSelector(":scope > .tree-row > button.twisty"));
      if (!"true".equals(twisty.getAttribute("aria-expanded"))) {
        twisty.click();
      }
    }
  }

  /** Restores what is chosen to an alternate folder; returns the report id once the result shows. */
  private static long restoreTo(Path target) {
    browser.type("Restore to", target.toString());
    browser.click("Restore");
    return awaitResult("Completed");
  }

  private static long awaitResult(String status) {
    WebElement result = browser.await("the restore's result", d -> d.findElements(
        By.cssSelector(".restore-result[data-status]")).stream().findFirst().orElse(null));
    assertEquals(status, result.getAttribute("data-status"), browser.text());
    String href = browser.find("a[data-report-link]").getAttribute("href");
    assertTrue(href.matches(".*/report/\\d+"), href);
    return Long.parseLong(href.substring(href.lastIndexOf('/') + 1));
  }

  private static Path restored(Path target, String relative) {
    return target.resolve(location.resolve(relative).toString().substring(1));
  }

  private static void assertFirstVersions(Path target, Set<String> expected) throws Exception {
    for (String f : expected) {
      assertEquals(FIRST.get(f), Files.readString(restored(target, f)), f + " as of the first job");
    }
  }

  // --------------------------------------------------------------------------------------------- tests

  @Test
  @Order(1)
  void tree_asOfTheFirstJob_aFolderIsItsWholeContent_lessWhatIsUnticked_restoredToAnAlternateFolder()
      throws Exception {
    openAsOfFirstJob();
    browser.find("[data-tree][data-ready]");
    assertEquals("true", entry(location.getParent().getParent().toString())
        .findElement(By.cssSelector(":scope > .tree-row > button.twisty")).getAttribute("aria-expanded"),
        "the tree opens at the backed-up folder");
    shoot("set-and-job");
    openTo(location);
    box(location.toString()).click();
    openTo(location.resolve("Logging"));
    assertTrue(box(location.resolve("Logging/debug.log").toString()).isSelected(), "a ticked folder's content");
    box(location.resolve("Logging").toString()).click();
    assertEquals(Boolean.TRUE, browser.script("return arguments[0].indeterminate;", box(location.toString())),
        "a partly chosen folder shows the mixed state");
    assertFalse(box(location.toString()).isSelected());
    assertTrue(browser.text().contains(IMG), "a hostile name shows as text");
    assertTrue(entry(location.resolve(IMG).toString()).isDisplayed());
    assertFalse(browser.text().contains("Later.txt"), "the first job has no Later.txt: " + browser.text());
    List<String> chosen = browser.driver.findElements(By.cssSelector("[data-chosen] li")).stream()
        .map(WebElement::getText).toList();
    assertTrue(chosen.contains(location.resolve("Config.cfg").toString()) && !chosen.contains(location.toString())
        && chosen.stream().noneMatch(c -> c.contains("Logging")), chosen.toString());
    shoot("tree-chosen");

    Path alt = dir.resolve("alt-tree");
    long report = restoreTo(alt);
    shoot("tree-restored");
    browser.clickLink("Open the restore report");
    browser.awaitHeading("Restore report");
    assertEquals("/report/" + report, new URI(browser.driver.getCurrentUrl()).getPath());
    assertNothingInjected();
    Set<String> expected = FIRST.keySet().stream().filter(f -> !f.startsWith("Logging/"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertFirstVersions(alt, expected);
    assertTrue(Files.exists(restored(alt, "BA.txt")), "deleted by the second job, there as of the first");
    assertFalse(Files.exists(restored(alt, "Later.txt")), "only in the second job");
    assertFalse(Files.exists(restored(alt, "Logging")), "unticked");
  }

  @Test
  @Order(2)
  void searchFilter_asOfTheFirstJob_chosenResultsAreRestored() throws Exception {
    openAsOfFirstJob();
    browser.openSearch();
    browser.type("Look in", location.toString());
    select("Type").selectByVisibleText("Exact");
    browser.type("Pattern", "Config.cfg");
    browser.click("Search");
    WebElement row = browser.await("the search result", d -> d.findElements(By.cssSelector("tr[data-found]")).stream()
        .findFirst().orElse(null));
    row.findElement(By.cssSelector("input[type=checkbox]")).click();
    shoot("search-chosen");
    Path alt = dir.resolve("alt-search");
    restoreTo(alt);
    assertFirstVersions(alt, Set.of("Config.cfg"));
    try (var s = Files.list(restored(alt, "Config.cfg").getParent())) {
      assertEquals(List.of("Config.cfg"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** Runs one search of appendix B from the screen: "name @ folder relative to the location" of each result. */
  private static Set<String> search(String kind, String type, String pattern) {
    browser.type("Look in", location.toString());
    WebElement sub = browser.input("Search subfolders");
    if (!sub.isSelected()) {
      sub.click();
    }
    select("Kind").selectByVisibleText(kind);
    select("Type").selectByVisibleText(type);
    browser.type("Pattern", pattern);
    WebElement matchCase = browser.input("Match case");
    if (!matchCase.isSelected()) {
      matchCase.click();
    }
    browser.script("document.querySelector('.search-results').replaceChildren();");
    browser.click("Search");
    browser.await("the results of " + type + " " + pattern, d -> !d.findElements(By.cssSelector("[data-found-count]"))
        .isEmpty());
    Set<String> out = new TreeSet<>();
    for (WebElement tr : browser.driver.findElements(By.cssSelector("tr[data-found]"))) {
      List<WebElement> td = tr.findElements(By.tagName("td"));
      String rel = location.relativize(Path.of(td.get(2).getText())).toString();
      out.add(td.get(1).getText() + " @ " + (rel.isEmpty() ? "." : rel));
    }
    return out;
  }

  @Test
  @Order(3)
  void appendixB_theFourExamples_fromTheScreen() throws Exception {
    browser.driver.get(base + "/restore/" + setId);
    browser.awaitHeading("Restore");
    browser.click("Search");
    assertEquals(Set.of("DataSet_01.csv @ .", "Settings @ .", "UpSet.md @ Sub"),
        search("Files and Directories", "Contains", "Set"));
    shoot("appendix-b-1-contains");
    assertEquals(Set.of("Agenda.docx @ .", "Asset.png @ .", "Archive.zip @ Assets"),
        search("Files only", "Starts With", "A"));
    shoot("appendix-b-2-starts-with");
    assertEquals(Set.of("Asset.png @ .", "Config.cfg @ .", "Logging @ .", "debug.log @ Logging", "Tag @ Logging",
        "logo.svg @ Assets", "image.png @ Sub/Alpha"), search("Files and Directories", "Ends With", "g"));
    shoot("appendix-b-3-ends-with");
    assertEquals(Set.of("SpreadSheet_05.xlsx @ .", "SpreadSheet_05.xlsx @ Sub"),
        search("Files and Directories", "Exact", "SpreadSheet_05.xlsx"));
    shoot("appendix-b-4-exact");

    // paging: every entry, ten a page
    select("Items per page").selectByVisibleText("10");
    Set<String> first = search("Files and Directories", "Contains", "");
    assertEquals(10, first.size());
    assertTrue(browser.text().contains("Page 1 of 3"), browser.text());
    browser.click("Next page");
    browser.await("page 2", d -> browser.text().contains("Page 2 of 3"));
  }

  @Test
  @Order(4)
  void hostileNames_browsedSearchedAndRestored_areText() throws Exception {
    browser.driver.get(base + "/restore/" + setId);
    browser.awaitHeading("Restore");
    browser.click("Search");
    select("Items per page").selectByVisibleText("50");
    WebElement matchCase = browser.input("Match case");
    Set<String> found = search("Files and Directories", "Contains", "script");
    assertEquals(Set.of(SCRIPT_DIR + " @ .", SCRIPT_FILE + " @ " + SCRIPT_DIR), found);
    assertTrue(matchCase.isSelected());
    browser.find("tr[data-found] input[type=checkbox]");
    for (WebElement b : browser.driver.findElements(By.cssSelector("tr[data-found] input[type=checkbox]"))) {
      b.click();
    }
    Set<String> img = search("Files only", "Starts With", "<img");
    assertEquals(Set.of(IMG + " @ ."), img);
    browser.find("tr[data-found] input[type=checkbox]").click();
    shoot("hostile-search");
    Path alt = dir.resolve("alt-hostile");
    restoreTo(alt);
    shoot("hostile-restored");
    assertEquals(FIRST.get(IMG), Files.readString(restored(alt, IMG)));
    assertEquals(FIRST.get(SCRIPT_DIR + "/" + SCRIPT_FILE), Files.readString(restored(alt, SCRIPT_DIR + "/"
        + SCRIPT_FILE)));
  }

  @Test
  @Order(5)
  void toTheOriginalLocation_deleteUnmatched_asksFirst_andOnlyYesDeletes() throws Exception {
    // the guide's example: a file made after the backup in a folder restored with "delete unmatched data"
    Path extra = location.resolve("Settings/made-after-the-backup.txt");
    Files.writeString(extra, "not in the backup");
    Files.writeString(location.resolve("Settings/preset.ini"), "changed after the backup");
    browser.driver.get(base + "/restore/" + setId);
    browser.awaitHeading("Restore");
    openTo(location);
    box(location.resolve("Settings").toString()).click();
    browser.input("Original location").click();
    browser.input("Delete unmatched data in restore location").click();
    browser.click("Restore");
    browser.find("dialog[open]");
    assertTrue(browser.find("dialog[open]").getText().contains("Delete unmatched data?"), browser.text());
    shoot("delete-unmatched-confirm");
    browser.click("No");
    browser.await("the question closed", d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
    assertTrue(Files.exists(extra), "No deletes nothing");
    assertEquals(List.of(), browser.driver.findElements(By.cssSelector(".restore-result")), "nothing started");

    browser.click("Restore");
    browser.find("dialog[open]");
    browser.click("Yes");
    awaitResult("Completed");
    assertFalse(Files.exists(extra), "unmatched data deleted after Yes");
    assertEquals(FIRST.get("Settings/preset.ini"), Files.readString(location.resolve("Settings/preset.ini")),
        "the backed-up version is back in its place");
    assertEquals("1", browser.table("table[data-table=restore-result]").get("Unmatched items deleted"));
    shoot("delete-unmatched-done");
  }

  @Test
  @Order(6)
  void allVersions_showsOlderVersionsInGrey_andOnlyTheTickedVersionsAreRestored() throws Exception {
    browser.driver.get(base + "/restore/" + setId);
    browser.awaitHeading("Restore");
    browser.input("Choose from ALL files (every version)").click();
    assertFalse(browser.input("As of job").isEnabled());
    openTo(location);
    String cfg = location.resolve("Config.cfg").toString();
    List<WebElement> versions = entry(cfg).findElements(By.cssSelector(".versions li"));
    assertEquals(List.of("old", "latest"), versions.stream().map(v -> v.getAttribute("class")).toList());
    assertTrue(entry(location.resolve("BA.txt").toString()).getAttribute("class").contains("gone"),
        "deleted by the second job, shown struck out");
    box(cfg).click();
    assertTrue(versions.stream().allMatch(v -> v.findElement(By.tagName("input")).isSelected()), "every version");
    versions.get(1).findElement(By.tagName("input")).click();
    assertEquals(Boolean.TRUE, browser.script("return arguments[0].indeterminate;", box(cfg)));
    String oldJob = versions.get(0).getAttribute("data-version");
    assertTrue(browser.find("[data-chosen]").getText().contains(cfg + " (only the versions of job " + oldJob + ")"),
        browser.find("[data-chosen]").getText());
    shoot("all-versions");
    Path alt = dir.resolve("alt-versions");
    restoreTo(alt);
    Path folder = restored(alt, "Config.cfg").getParent();
    try (var s = Files.list(folder)) {
      assertEquals(List.of("Config." + oldJob + ".cfg"), s.map(p -> p.getFileName().toString()).toList(),
          "only the ticked older version, with its job in its name");
    }
    assertEquals(FIRST.get("Config.cfg"), Files.readString(folder.resolve("Config." + oldJob + ".cfg")));
    // the result page has its own address: a reload shows it again
    browser.driver.navigate().refresh();
    awaitResult("Completed");
  }

  @Test
  @Order(7)
  void stop_interruptsARunningRestore_andLeavesNoPartFile() throws Exception {
    // a third job with a file that takes about 24 s to restore under the set's bandwidth limit (restores too):
    // the Stop below lands long before the end however slowly the browser gets there (the backup is not limited)
    byte[] big = new byte[24 << 20];
    new java.util.Random(13).nextBytes(big);
    Files.write(location.resolve("Big.bin"), big);
    backUp();
    JsonObject set = agent.getJson("sets/" + setId);
    set.put("bandwidth", new JsonObject().put("enabled", true).put("limits", new JsonArray()
        .add(new JsonObject().put("name", "Slow").put("rate", "8Mibit/s").put("always", true))));
    send("PUT", "sets/" + setId, set, 200);

    browser.driver.get(base + "/restore/" + setId);
    browser.awaitHeading("Restore");
    openTo(location);
    box(location.resolve("Big.bin").toString()).click();
    Path alt = dir.resolve("alt-stop");
    browser.type("Restore to", alt.toString());
    browser.click("Restore");
    browser.awaitHeading("Restore job");
    browser.await("the restore under way", d -> d.findElements(By.cssSelector(".live-progress progress[value]"))
        .stream().anyMatch(p -> Double.parseDouble(p.getAttribute("value")) > 0));
    shoot("running");
    browser.click("Stop");
    awaitResult("Interrupted");
    shoot("stopped");
    Path folder = restored(alt, "Big.bin").getParent();
    try (var s = Files.list(folder)) {
      assertEquals(List.of(), s.toList(), "the file being written is dropped, never left under its name");
    }
  }

  @Test
  @Order(8)
  void aPhoneSizedWindow_doesNotScrollSideways() throws Exception {
    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      browser.driver.get(base + "/restore/" + setId);
      browser.awaitHeading("Restore");
      openTo(location);
      browser.click("Search");
      long scroll = (Long) browser.script("return document.documentElement.scrollWidth;");
      long width = (Long) browser.script("return window.innerWidth;");
      assertTrue(scroll <= width, "/restore scrolls sideways at 360 px: " + scroll + " > " + width);
      shoot("phone");
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }
}
