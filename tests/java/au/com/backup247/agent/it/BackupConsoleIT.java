package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
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
import org.openqa.selenium.support.ui.Select;

/**
 * The Backup (guide ch. 12), Utilities (Space Freeing Up, ch. 9.9.2) and Settings (ch. 9.8) screens
 * in a real browser against a real agent. The backups are slowed by the set's own upload limit (a
 * real token bucket writing to real local folders, no test double), so the progress is seen moving:
 * a manual backup to two destinations reaches 100 % with one bar each and links to its reports; Stop
 * on a second run ends it Interrupted; a backup started through the API, and one started after the
 * agent restarted on the same home and port, appear live on an open page (the user's event stream
 * reconnects by itself). The set's name is hostile markup and shows as text. Screenshots
 * {@code backup-NN-*}; axe on each screen; the Backup screen at 360 px.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String SET_NAME = "<img src=x onerror=alert(1)>";
  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static String base;
  static Path source;
  static long setId;
  static int round;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void setUpAndLogIn() throws Exception {
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    source = Files.createDirectories(dir.resolve("data"));
    CONSOLE.createAdmin();
    // 1 MiB/s to each destination (each has its own limit): a few MiB of new data take a few seconds
    setId = post("sets", new JsonObject().put("name", SET_NAME)
        .put("source", new JsonObject().put("paths", new JsonArray().add(source.toString())))
        .put("destinations", new JsonArray()
            .add(new JsonObject().put("name", "Local-1").put("url", "file://" + dir.resolve("dest1")))
            .add(new JsonObject().put("name", "Local-2").put("url", "file://" + dir.resolve("dest2"))))
        .put("backupMode", "concurrent").put("maxConcurrentDestinations", 2)
        .put("bandwidth", new JsonObject().put("enabled", true).put("mode", "independent").put("limits",
            new JsonArray().add(new JsonObject().put("name", "Always").put("rate", "8Mibit/s").put("always", true))))
        .put("schedules", new JsonArray()), 201).getLong("id");

    browser = CONSOLE.openBrowser();
    browser.logIn(base + "/backup", "admin", PASSWORD, "Backup");
  }

  private static JsonObject post(String path, JsonObject body, int status) throws Exception {
    return agent.send("POST", path, body, status);
  }


  /** New files for the next backup ({@code mib} MiB that deduplicate with nothing before). */
  private static void newData(int mib) throws Exception {
    Random r = new Random(++round);
    for (int i = 0; i < mib; i++) {
      Files.write(source.resolve("round-" + round + "-part-" + i + ".bin"), RepoFixture.bytes(r, 1 << 20));
    }
  }

  private static String overallPercent() {
    return browser.find(".live-progress > .live-bar .live-bar-percent").getText();
  }

  private static void assertNameIsText() {
    assertTrue(browser.driver.findElements(By.cssSelector("main img")).isEmpty(), "the set's name made no image");
    browser.assertNothingInjected();
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(1)
  void manualBackup_showsLiveProgressPerDestination_reaches100_andLinksItsReports() throws Exception {
    newData(8); // about 8 s of upload: the page, however slow to open, sees the run between 1 and 99 %
    browser.assertAccessible("backup");
    browser.screenshot("backup-01-choose");
    new Select(browser.input("Backup set")).selectByVisibleText(SET_NAME);
    browser.await("the set's page", d -> d.getCurrentUrl().endsWith("/backup/" + setId));
    // the URL changes at once; the set's destinations are drawn when its answer arrives
    List<String> dests = browser.await("the set's destinations", d -> {
      List<String> shown = d.findElements(By.cssSelector("form[data-form=backup] input[name=destination]"))
          .stream().map(e -> e.getAttribute("value") + "=" + e.isSelected()).toList();
      return shown.isEmpty() ? null : shown;
    });
    assertEquals(List.of("Local-1=true", "Local-2=true"), dests);
    assertTrue(browser.text().contains("Run Retention Policy after backup"), browser.text());
    assertTrue(browser.find("[data-running]").getText().contains("No backup of this set is running."));
    browser.assertAccessible("backup set");
    browser.screenshot("backup-02-options");
    assertNameIsText();

    browser.click("Start backup");
    browser.awaitHeading("Backup of " + SET_NAME);
    // the bar and its text are read in one script: the page redraws both on each event (every 0.5 s), so
    // two separate reads could straddle a redraw
    List<?> seen = browser.await("the overall bar between 1 and 99 %", d -> {
      List<?> barAndText = (List<?>) browser.script("const bar = document.querySelector('.live-progress > .live-bar');"
          + " return bar && [bar.querySelector('progress').getAttribute('aria-valuenow'),"
          + " bar.querySelector('.live-bar-percent').textContent];");
      String v = barAndText == null ? null : (String) barAndText.get(0);
      return v != null && Integer.parseInt(v) > 0 && Integer.parseInt(v) < 100 ? barAndText : null;
    });
    assertEquals(seen.get(0) + " %", ((String) seen.get(1)).replace('\u00a0', ' ').strip(),
        "the percentage also as text");
    assertEquals(2, browser.driver.findElements(By.cssSelector(".live-dests li progress")).size(), "a bar per destination");
    assertTrue(browser.find(".live-facts").getText().contains("Estimated time left")
        || browser.find(".live-facts").getText().contains("Speed"), browser.find(".live-facts").getText());
    browser.screenshot("backup-03-running");
    browser.assertAccessible("backup running");
    browser.await("the run's end", d -> "true".equals(browser.find("[data-backup-job]").getAttribute("data-done")));
    assertEquals("100 %", overallPercent());
    assertEquals("Completed", browser.find(".backup-result").getAttribute("data-status"));
    List<WebElement> links = browser.driver.findElements(By.cssSelector("a[data-report-link]"));
    assertEquals(2, links.size());
    for (WebElement a : links) {
      assertTrue(a.getAttribute("href").matches(".*/report/[0-9]+"), a.getAttribute("href"));
    }
    assertTrue(browser.find(".live-title").getText().contains("Completed"), browser.find(".live-title").getText());
    browser.screenshot("backup-04-done");
    browser.assertAccessible("backup done");
    assertNameIsText();
  }

  @Test
  @Order(2)
  void stop_onASecondRun_endsItInterrupted() throws Exception {
    newData(8);
    browser.clickLink("Back to this backup set");
    browser.awaitHeading("Backup");
    browser.click("Start backup");
    browser.awaitHeading("Backup of " + SET_NAME);
    browser.await("the backup under way", d -> {
      String v = browser.find(".live-progress > .live-bar progress").getAttribute("aria-valuenow");
      return v != null && Integer.parseInt(v) > 0;
    });
    browser.click("Stop");
    browser.await("the run's end", d -> "true".equals(browser.find("[data-backup-job]").getAttribute("data-done")));
    assertEquals("Interrupted", browser.find(".backup-result").getAttribute("data-status"), browser.text());
    assertTrue(browser.find(".live-title").getText().startsWith("Interrupted"), browser.find(".live-title").getText());
    assertFalse(overallPercent().equals("100 %"), "a stopped backup does not claim 100 %");
    browser.screenshot("backup-05-stopped");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(3)
  void aBackupStartedThroughTheApi_appearsLiveOnTheOpenPage() throws Exception {
    browser.driver.get(base + "/backup/" + setId);
    browser.awaitHeading("Backup");
    browser.await("the live list", d -> "open".equals(browser.find("[data-running]").getAttribute("data-live")));
    assertTrue(browser.find("[data-running]").getText().contains("No backup of this set is running."));
    // about 12 s of upload: the run is still in the list after the checks, the screenshot and the
    // accessibility scan below, when its link is followed, however slow the machine
    newData(12);
    post("sets/" + setId + "/backup", new JsonObject(), 202);
    browser.await("the backup in the running list", d -> browser.find("[data-running]").getText()
        .contains("Backup of " + SET_NAME));
    browser.await("its live progress", d -> browser.find("[data-running] .live-progress").isDisplayed());
    assertFalse(browser.driver.findElement(By.cssSelector("form[data-form=backup] button[type=submit]")).isEnabled(),
        "no second start while it runs");
    browser.screenshot("backup-06-started-elsewhere");
    browser.assertAccessible("backup running elsewhere");
    browser.clickLink("Backup of " + SET_NAME);
    browser.awaitHeading("Backup of " + SET_NAME);
    browser.awaitLong("the run's end", Duration.ofSeconds(60),
        d -> "true".equals(browser.find("[data-backup-job]").getAttribute("data-done")));
    assertEquals("Completed", browser.find(".backup-result").getAttribute("data-status"), browser.text());
    assertNameIsText();
  }

  @Test
  @Order(4)
  void afterTheAgentRestarts_theOpenPageReconnects_andShowsABackupStartedThen() throws Exception {
    browser.driver.get(base + "/backup");
    browser.awaitHeading("Backup");
    browser.await("the live list", d -> "open".equals(browser.find("[data-running]").getAttribute("data-live")));
    agent.close();
    browser.await("the page to see the agent gone", d -> "retrying".equals(browser.find("[data-running]")
        .getAttribute("data-live")));
    browser.screenshot("backup-07-agent-away");
    agent = CONSOLE.closeAfter(RunningAgent.start(agent.home, agent.port, "agent2")); // the fixture closes the first
    browser.awaitLong("the page to reconnect", Duration.ofSeconds(90),
        d -> "open".equals(browser.find("[data-running]").getAttribute("data-live")));
    newData(6); // about 6 s of upload: time for the page to show it running
    post("sets/" + setId + "/backup", new JsonObject(), 202);
    browser.await("the backup started after the restart, in the running list", d -> browser.find("[data-running]")
        .getText().contains("Backup of " + SET_NAME));
    browser.await("its end", d -> browser.find("[data-running]").getText().contains("No backup is running."));
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(5)
  void spaceFreeing_showsItsProgressAndResult_andTheOtherUtilitiesNameTheirCommand() throws Exception {
    browser.driver.get(base + "/utilities");
    browser.awaitHeading("Utilities");
    browser.assertAccessible("utilities");
    browser.screenshot("backup-08-utilities");
    browser.clickLink("Data Integrity Check");
    browser.awaitHeading("Data Integrity Check");
    assertTrue(browser.find("main code").getText().startsWith("b247 repo check"), browser.text());
    browser.clickLink("Space Freeing Up");
    browser.awaitHeading("Space Freeing Up");
    new Select(browser.input("Backup set")).selectByVisibleText(SET_NAME);
    assertEquals(2, browser.driver.findElements(By.cssSelector("form[data-form=space-freeing] input[name=destination]"))
        .size());
    browser.assertAccessible("space freeing");
    browser.screenshot("backup-09-space-freeing");
    browser.click("Start");
    browser.awaitLong("the space freeing's result", Duration.ofSeconds(60),
        d -> "true".equals(browser.find(".sf-result").getAttribute("data-done")));
    List<WebElement> rows = browser.driver.findElements(By.cssSelector("[data-table=space-freeing-result] tbody tr"));
    assertEquals(2, rows.size());
    for (WebElement r : rows) {
      assertEquals("Completed", r.getAttribute("data-status"), r.getText());
      assertTrue(r.getText().contains("View log"), r.getText());
    }
    assertEquals("100 %", browser.find(".sf-runs .live-bar-percent").getText());
    assertTrue(browser.find(".sf-runs .live-facts").getText().contains("Space freed"),
        browser.find(".sf-runs .live-facts").getText());
    browser.screenshot("backup-10-space-freed");
    browser.assertAccessible("space freeing done");
    assertNameIsText();

    // an admin may free space on every set at once (POST /space-freeing): no destinations to choose
    new Select(browser.input("Backup set")).selectByVisibleText("All backup sets (every destination)");
    assertFalse(browser.driver.findElement(By.cssSelector("form[data-form=space-freeing] fieldset")).isDisplayed());
    browser.click("Start");
    browser.awaitLong("every set's result", Duration.ofSeconds(60), d -> "true".equals(browser.find(".sf-result")
        .getAttribute("data-done")) && d.findElements(By.cssSelector("[data-table=space-freeing-result] tbody tr"))
        .size() == 2);
    assertNameIsText();
  }

  @Test
  @Order(6)
  void settings_sayWhatComesWithItsOwnIssue_andWhatExistsToday() throws Exception {
    browser.driver.get(base + "/settings");
    browser.awaitHeading("Settings");
    assertTrue(browser.text().contains("comes with its own issue"), browser.text());
    assertTrue(browser.text().contains("&proxy=http://host:port"), browser.text());
    browser.assertAccessible("settings proxy");
    browser.screenshot("backup-11-settings-proxy");
    browser.clickLink("Mobile Backup");
    browser.await("the Mobile Backup section", d -> browser.find("[data-section=mobile]").isDisplayed());
    assertTrue(browser.text().contains("no mobile backup server yet"), browser.text());
    browser.driver.navigate().refresh();
    browser.awaitHeading("Settings");
    assertTrue(browser.find("[data-section=mobile]").isDisplayed(), "a deep link survives a reload");
    browser.assertAccessible("settings mobile");
    browser.screenshot("backup-12-settings-mobile");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(7)
  void theBackupScreen_fitsAPhone() throws Exception {
    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      for (String path : List.of("/backup/" + setId, "/utilities/space-freeing")) {
        browser.driver.get(base + path);
        browser.await("the screen at 360 px", d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
        assertFalse(browser.scrollsSideways(), path + " scrolls sideways at 360 px");
      }
      browser.driver.get(base + "/backup/" + setId);
      browser.awaitHeading("Backup");
      browser.screenshot("backup-13-phone");
      assertNameIsText();
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }
}
