package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The Report screens (guide ch. 9.6) in a real browser against a real agent: backups made through the
 * API (a set with a hostile name backed up five times to two folders, one completed with warnings
 * naming a dozen missing folders, one failed), the list narrowed by set, status, destination and
 * dates and paged forwards and back, a report's log filtered by type with records per page and page
 * navigation, the charts of a set drawn by Chart.js with their tables holding the API's numbers, a
 * running backup's live progress, hostile names shown as text, a phone-sized window.
 * Screenshots in target/console-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String IMG = "<img src=x onerror=alert(1)>";
  private static final String SCRIPT = "\"><svg onload=alert(2)>";
  private static final int MISSING = 12;
  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static String base;
  static long hostileSet;
  static long warnedReport;
  static long brokenReport;
  static int shot;
  /** The local day of every backup made before the tests (the date filters are checked against it). */
  static LocalDate backupDay;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void backUpAndLogIn() throws Exception {
    LocalDate firstDay = LocalDate.now();
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    CONSOLE.createAdmin();
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve(IMG), "a file with a hostile name");
    hostileSet = post("sets", set(IMG, List.of(docs), "Local-1", "Local-2"), 201).getLong("id");
    for (int i = 1; i <= 5; i++) {
      Files.writeString(docs.resolve("file-" + i + ".txt"), ("new data of backup " + i + "\n").repeat(i * 200));
      backUp(hostileSet, "Completed");
    }
    List<Path> sources = new ArrayList<>(List.of(docs));
    for (int i = 1; i <= MISSING; i++) {
      sources.add(dir.resolve("unplugged").resolve(SCRIPT + "-" + i));
    }
    warnedReport = backUp(post("sets", set("Warned", sources, "Local-1"), 201).getLong("id"),
        "Completed with warning(s)");
    brokenReport = backUp(post("sets", set("Broken", List.of(dir.resolve("gone")), "Local-1"), 201).getLong("id"),
        "Failed");
    backupDay = LocalDate.now();
    Assumptions.assumeTrue(firstDay.equals(backupDay), "the backups ran across local midnight");

    browser = CONSOLE.openBrowser();
    browser.logIn(base + "/report", "admin", PASSWORD, "Report");
  }

  @Test
  @Order(1)
  void theList_isNewestFirst_pagesForwardAndBack_andTheFiltersNarrowIt() throws Exception {
    List<Long> all = ids(get("jobs?kind=backup"));
    assertEquals(12, all.size());
    assertRows(all); // newest first, as the API lists them
    assertTrue(browser.text().contains(IMG), "the set's name is shown as text");
    shoot("list");

    browser.select("Records per page").selectByVisibleText("10");
    show();
    assertRows(all.subList(0, 10));
    assertEquals("Page 1", browser.find("[data-page]").getText());
    browser.click("Next page");
    assertRows(all.subList(10, 12));
    assertEquals("Page 2", browser.find("[data-page]").getText());
    assertFalse(button("Next page").isEnabled(), "no page after the last");
    browser.click("Previous page");
    assertRows(all.subList(0, 10));
    assertFalse(button("Previous page").isEnabled());

    browser.select("Backup set").selectByVisibleText("Broken");
    show();
    assertRows(List.of(brokenReport));
    assertEquals("Failed", browser.find("td[data-status]").getText());

    browser.select("Backup set").selectByVisibleText("All backup sets");
    browser.select("Status").selectByVisibleText("Completed with warning(s)");
    show();
    assertRows(List.of(warnedReport));

    browser.select("Status").selectByVisibleText("All statuses");
    browser.select("Destination").selectByVisibleText("Local-2");
    browser.select("Records per page").selectByVisibleText("25");
    show();
    assertRows(ids(get("jobs?kind=backup&destination=Local-2")));
    browser.driver.findElements(By.cssSelector("td[data-col=destination]"))
        .forEach(td -> assertEquals("Local-2", td.getText()));

    browser.select("Destination").selectByVisibleText("All destinations");
    day("From", backupDay.plusDays(1));
    show();
    browser.await("no report from tomorrow on", d -> browser.find("[data-empty]").isDisplayed());
    shoot("list-none");
    day("From", backupDay.minusDays(1));
    day("To", backupDay.minusDays(1));
    show();
    browser.await("no report until yesterday", d -> browser.find("[data-empty]").isDisplayed());
    day("To", backupDay);
    show();
    assertRows(all); // today's reports are all of them
    assertTrue(browser.driver.getCurrentUrl().contains("from=" + backupDay.minusDays(1)),
        "the filters are in the address: " + browser.driver.getCurrentUrl());
    browser.driver.navigate().refresh();
    assertRows(all); // a filtered list survives a reload

    browser.script("document.querySelector('main').firstElementChild.dataset.stale = 'true';");
    browser.clickLink("Restore");
    browser.await("the restore reports: none yet", d -> d.findElements(By.cssSelector("main > [data-stale]")).isEmpty()
        && browser.find("[data-empty]").isDisplayed());
    assertEquals("Restore", browser.find(".report-kinds a[aria-current=page]").getText());
    assertTrue(browser.driver.findElements(By.cssSelector(".report-charts")).isEmpty(), "restores have no charts");
    shoot("list-restore");
  }

  @Test
  @Order(2)
  void aReportsLog_isFilteredByType_withRecordsPerPage_andPageNavigation() throws Exception {
    browser.driver.get(base + "/report?kind=backup&setId=" + get("jobs/" + warnedReport).getLong("setId"));
    assertRows(List.of(warnedReport));
    browser.clickLink("View log");
    browser.awaitHeading("Backup report");
    assertEquals("/report/" + warnedReport, URI.create(browser.driver.getCurrentUrl()).getPath());
    var rows = browser.table("table[data-table=report]");
    assertEquals("Warned", rows.get("Backup set"));
    assertEquals("Completed with warning(s)", rows.get("Status"));
    assertEquals("Manual backup", rows.get("Started by"));
    assertEquals(String.valueOf(get("jobs/" + warnedReport + "?logLimit=1").getJsonObject("stats").getLong("warnings")),
        browser.table("table[data-table=stats]").get("Warnings"));
    assertTrue(browser.find("table[data-table=log]").getText().contains(SCRIPT + "-1"),
        "the missing folder's hostile name is in the log as text");
    shoot("report");

    // a missing source folder is an error line (the backup of what exists still completes, with warnings)
    JsonArray errors = get("jobs/" + warnedReport + "?level=error").getJsonArray("log");
    assertEquals(MISSING, errors.size(), errors.encodePrettily());
    browser.select("Type").selectByVisibleText("Error");
    browser.select("Records per page").selectByVisibleText("10");
    List<String> page1 = messages(errors, 0, 10);
    assertLog(page1);
    browser.driver.findElements(By.cssSelector("table[data-table=log] tbody tr"))
        .forEach(tr -> assertEquals("error", tr.getAttribute("data-level")));
    shoot("log-errors");
    browser.click("Next page");
    assertLog(messages(errors, 10, MISSING));
    assertEquals("Page 2", browser.find("[data-page]").getText());
    assertFalse(button("Next page").isEnabled(), "no page after the last");
    browser.click("Previous page");
    assertLog(page1);

    browser.select("Type").selectByVisibleText("Information");
    JsonArray info = get("jobs/" + warnedReport + "?level=info").getJsonArray("log");
    assertLog(messages(info, 0, Math.min(10, info.size())));
    browser.select("Type").selectByVisibleText("Warning");
    JsonArray warnings = get("jobs/" + warnedReport + "?level=warning").getJsonArray("log");
    if (warnings.isEmpty()) {
      browser.await("no warning line", d -> browser.find("[data-empty]").isDisplayed());
    } else {
      assertLog(messages(warnings, 0, Math.min(10, warnings.size())));
    }
    browser.select("Type").selectByVisibleText("All");
    browser.select("Records per page").selectByVisibleText("100");
    JsonArray every = get("jobs/" + warnedReport).getJsonArray("log");
    assertLog(messages(every, 0, every.size()));
  }

  @Test
  @Order(3)
  void aSetsCharts_areDrawn_andTheirTablesHoldTheApisNumbers() throws Exception {
    // HTTP/1.1 as a browser asks (the JDK client's default h2c upgrade once cut this 200 KB answer short)
    HttpResponse<String> lib = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest
        .newBuilder(URI.create(base + "/assets/vendor/chart.umd.min.js")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, lib.statusCode());
    assertTrue(lib.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertTrue(lib.body().contains("Chart.js v4"), "Chart.js from its WebJar");
    assertTrue(lib.headers().firstValue("Content-Security-Policy").orElse("").contains("style-src 'self';"));

    browser.driver.get(base + "/report?kind=backup&setId=" + hostileSet);
    browser.find("section[data-charts][data-drawn=true]");
    assertTrue(browser.find("section[data-charts] h2").getText().contains(IMG), "the set's name as text");
    JsonObject stats = get("sets/" + hostileSet + "/stats?limit=30");
    JsonArray dests = stats.getJsonArray("destinations");
    assertEquals(2, dests.size());
    for (String chart : List.of("storage", "durations", "new-data")) {
      Number drawn = (Number) browser.script("const c = document.querySelector('figure[data-chart=\"' + arguments[0]"
          + " + '\"] canvas'); const chart = Chart.getChart(c); return chart && c.width > 0"
          + " ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0;", chart);
      assertEquals(10, drawn.intValue(), chart + ": one point per backup report");
      Boolean painted = (Boolean) browser.script("const c = document.querySelector('figure[data-chart=\"'"
          + " + arguments[0] + '\"] canvas'); const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
          + " for (let i = 3; i < px.length; i += 4) { if (px[i]) return true; } return false;", chart);
      assertTrue(painted, chart + " has something drawn");
    }
    List<Long> stored = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    List<Long> newBytes = new ArrayList<>();
    for (Object d : dests) {
      for (Object o : ((JsonObject) d).getJsonArray("points")) {
        JsonObject p = (JsonObject) o;
        stored.add(p.getLong("storedTotal"));
        durations.add(p.getLong("durationMs"));
        newBytes.add(p.getLong("bytesNew"));
      }
    }
    assertTrue(stored.stream().allMatch(v -> v > 0), stored.toString());
    browser.script("document.querySelector('section[data-charts]').scrollIntoView();");
    shoot("charts");
    browser.driver.findElements(By.cssSelector("figure[data-chart] details")).forEach(WebElement::click);
    assertEquals(sorted(stored), sorted(column("storage", 4)));
    assertEquals(sorted(durations), sorted(column("durations", 3)));
    assertEquals(sorted(newBytes), sorted(column("new-data", 5)));
    browser.script("document.querySelector('figure[data-chart=storage] details').scrollIntoView();");
    shoot("chart-tables");
  }

  @Test
  @Order(4)
  void aRunningBackup_showsItsLiveProgress_andItsReportWhenItEnds() throws Exception {
    long slow = post("sets", set("Slow", List.of(dir.resolve("docs")), "Local-1")
        .put("preBackupCommands", new JsonArray().add(new JsonObject().put("name", "Wait").put("workingDirectory",
            dir.toString()).put("command", "sleep 60").put("timeoutSeconds", 120))), 201).getLong("id");
    long report = post("sets/" + slow + "/backup", new JsonObject(), 202).getJsonArray("jobs").getJsonObject(0)
        .getLong("id");
    browser.driver.get(base + "/report/" + report);
    browser.awaitHeading("Backup report");
    assertEquals("In progress", browser.table("table[data-table=report]").get("Status"));
    browser.find(".live-progress");
    shoot("running");
    post("sets/" + slow + "/backup/cancel", new JsonObject(), 202);
    browser.await("the report drawn again once the backup ended", d -> "Interrupted".equals(
        browser.table("table[data-table=report]").get("Status")));
    assertTrue(browser.driver.findElements(By.cssSelector(".live-progress")).isEmpty());
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(5)
  void aPhoneSizedWindow_showsTheListTheChartsAndAReport_withoutSidewaysScrolling() throws Exception {
    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      browser.driver.get(base + "/report?kind=backup&setId=" + hostileSet);
      browser.find("section[data-charts][data-drawn=true]");
      assertFalse(browser.scrollsSideways(), "the list scrolls sideways at 360 px");
      browser.script("document.querySelector('table[data-table=reports]').scrollIntoView();");
      browser.screenshot(String.format("report-%02d-phone-list", ++shot));
      browser.driver.get(base + "/report/" + warnedReport);
      browser.awaitHeading("Backup report");
      browser.find("table[data-table=log]");
      assertFalse(browser.scrollsSideways(), "the report scrolls sideways at 360 px");
      browser.script("document.querySelector('table[data-table=log]').scrollIntoView();");
      browser.screenshot(String.format("report-%02d-phone-report", ++shot));
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private static JsonObject set(String name, List<Path> sources, String... destinations) {
    JsonArray d = new JsonArray();
    for (String n : destinations) {
      d.add(new JsonObject().put("name", n).put("url", "file://" + dir.resolve("dest-" + n)));
    }
    JsonArray paths = new JsonArray();
    sources.forEach(p -> paths.add(p.toString()));
    return new JsonObject().put("name", name).put("source", new JsonObject().put("paths", paths))
        .put("destinations", d).put("schedules", new JsonArray());
  }

  /** Backs the set up and waits until each of its reports ended in {@code status}; returns the first's id. */
  private static long backUp(long setId, String status) throws Exception {
    JsonArray jobs = post("sets/" + setId + "/backup", new JsonObject(), 202).getJsonArray("jobs");
    for (Object o : jobs) {
      long id = ((JsonObject) o).getLong("id");
      AgentProcess.await("report " + id + " to end", 60, () -> {
        try {
          return !"In progress".equals(get("jobs/" + id + "?logLimit=1").getString("status"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(status, get("jobs/" + id + "?logLimit=1").getString("status"), "report " + id);
    }
    return jobs.getJsonObject(0).getLong("id");
  }

  private static JsonObject post(String path, JsonObject body, int status) throws Exception {
    return agent.send("POST", path, body, status);
  }


  private static JsonObject get(String path) throws Exception {
    return agent.getJson(path);
  }

  private static List<Long> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  /** Clicks "Show" and waits until the list is drawn again (a new screen: the old one is marked first). */
  private static void show() {
    browser.script("document.querySelector('main').firstElementChild.dataset.stale = 'true';");
    browser.click("Show");
    browser.await("the list drawn again", d -> d.findElements(By.cssSelector("main > [data-stale]")).isEmpty()
        && !d.findElements(By.cssSelector("main h1")).isEmpty());
  }

  /** Waits until the list shows exactly the reports {@code expected}, in that order. */
  private static void assertRows(List<Long> expected) {
    browser.await("the reports " + expected, d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("table[data-table=reports] tbody tr"));
      return !rows.isEmpty() && rows.get(0).isDisplayed() && expected.equals(rows.stream()
          .map(r -> Long.parseLong(r.getAttribute("data-report-id"))).toList());
    });
  }

  /** Waits until the log shows exactly the lines {@code expected} (their messages), in that order. */
  private static void assertLog(List<String> expected) {
    browser.await("the log lines " + expected, d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("table[data-table=log] tbody td.report-log-message"));
      return !rows.isEmpty() && rows.get(0).isDisplayed()
          && expected.equals(rows.stream().map(WebElement::getText).toList());
    });
  }

  private static List<String> messages(JsonArray log, int from, int to) {
    return log.stream().skip(from).limit(to - from).map(o -> ((JsonObject) o).getString("message").strip()).toList();
  }

  private static WebElement button(String text) {
    return browser.driver.findElements(By.tagName("button")).stream().filter(b -> text.equals(b.getText().trim()))
        .findFirst().orElseThrow();
  }

  /** Sets a date field as a person picking a day would (the value the date input holds). */
  private static void day(String label, LocalDate date) {
    browser.script("arguments[0].value = arguments[1];", browser.input(label), date.toString());
  }

  /** The raw numbers (data-value) of one column of a chart's table. */
  private static List<Long> column(String chart, int index) {
    return browser.driver.findElements(By.cssSelector("table[data-table=chart-" + chart + "] tbody tr")).stream()
        .map(tr -> Long.parseLong(tr.findElements(By.tagName("td")).get(index - 1).getAttribute("data-value")))
        .toList();
  }

  private static List<Long> sorted(List<Long> values) {
    return values.stream().sorted().toList();
  }

  private static void shoot(String what) throws Exception {
    browser.screenshot(String.format("report-%02d-%s", ++shot, what));
    browser.assertAccessible("report " + what);
    browser.assertNoScriptErrors();
    browser.assertNothingInjected();
  }
}
