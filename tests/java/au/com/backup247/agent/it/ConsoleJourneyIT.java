package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.Totp;
import au.com.backup247.agent.repo.store.SshPeers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
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
 * Issue 13's acceptance journey, as a newcomer does it in a real browser (headless chromium) against a
 * real agent process and a real SFTP server on loopback: first-run setup with the one-time code, an
 * authenticator app paired on the Profile screen and a login with a TOTP code the test computes, a
 * backup set made with the wizard (a local folder and the SFTP server, its host key trusted from the
 * page), a backup watched until its progress reads 100 %, its report's log filtered by type, a
 * second backup after changes, then a restore as of the first job to another folder through the tree
 * (from the SFTP destination) and through the search filter (from the local one), the bytes compared
 * with the first job's files. The journey runs twice: in a desktop window and in a 360×740 one, where
 * no screen may scroll sideways. Files named like markup are backed up, browsed, searched, restored
 * and reported on the way: nothing they hold may execute.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleJourneyIT {
  private static final String PASSWORD = "a long walk to the backup";
  private static final String IMG = "<img src=x onerror=alert(1)>";
  private static final String SVG = "\"><svg onload=alert(2)>";
  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static SshServer sftp;
  static String base;
  static byte[] secret;
  static long lastStep;
  static List<String> recoveryCodes;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void start() throws Exception {
    sftp = SshPeers.mina(0, Files.createDirectories(dir.resolve("sftp-root")), SshPeers.ed25519(), null);
    CONSOLE.closeAfter(() -> sftp.stop(true));
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    browser = CONSOLE.openBrowser();
  }

  @Test
  @Order(1)
  void firstRun_thenAnAuthenticatorApp_thenALoginWithItsCode() throws Exception {
    browser.driver.get(base + "/");
    browser.awaitHeading("Set up the agent");
    browser.type("Setup code", Files.readString(agent.home.resolve("run/setup-code")).trim());
    browser.type("Login name", "admin");
    browser.type("Display name", "Ann Admin");
    browser.type("Password", PASSWORD);
    browser.type("Password again", PASSWORD);
    browser.click("Create the administrator");
    browser.awaitHeading("Main screen");
    shot("01-main");

    browser.driver.get(base + "/profile/authentication");
    browser.awaitHeading("Profile");
    browser.type("Your password", PASSWORD);
    browser.click("Add the app");
    secret = Totp.fromBase32(browser.find("[data-secret]").getText());
    browser.type("The code the app shows", code());
    browser.click("Pair the app");
    browser.await("the recovery codes", d -> d.findElements(By.cssSelector("[data-recovery-codes] li")).size() == 10);
    recoveryCodes = browser.driver.findElements(By.cssSelector("[data-recovery-codes] li")).stream()
        .map(WebElement::getText).map(String::trim).toList();
    browser.click("Done");
    logInAgain();
    shot("02-logged-in-with-totp");
  }

  @Test
  @Order(2)
  void desktop_wizardBackupReportRestore() throws Exception {
    journey("Journey desktop", "desk");
  }

  @Test
  @Order(3)
  void phoneSized_wizardBackupReportRestore() throws Exception {
    browser.driver.manage().window().setSize(new Dimension(360, 740));
    logInAgainWithARecoveryCode();
    journey("Journey phone", "phone");
  }

  // ------------------------------------------------------------------------------------------ the journey

  /** One journey with its own set, source and folders; {@code tag} names its files and screenshots. */
  private static void journey(String setName, String tag) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src-" + tag));
    Map<String, byte[]> first = firstFiles(src, tag);

    long setId = wizard(setName, src, tag);
    long reportId = backUp(setId, setName, tag, "1");
    reportLog(reportId, tag);

    // changes the second job records: one file changed, one deleted, one added
    Files.writeString(src.resolve("letters/to-ann.txt"), "Dear Ann, a later letter.\n");
    Files.delete(src.resolve("notes.txt"));
    Files.writeString(src.resolve("later.txt"), "only in the second job\n");
    backUp(setId, setName, tag, "2");

    Path viaTree = dir.resolve("restored-tree-" + tag);
    restoreThroughTheTree(setName, src, "SFTP-1", viaTree, tag);
    assertEquals(first.keySet(), files(restoredUnder(viaTree, src)).keySet(), "as of the first job, from the tree");
    assertSameBytes(first, files(restoredUnder(viaTree, src)));

    Path viaSearch = dir.resolve("restored-search-" + tag);
    restoreThroughTheSearch(setName, src, "Local-1", viaSearch, tag);
    Map<String, byte[]> found = files(restoredUnder(viaSearch, src));
    assertEquals(List.of("letters/to-ann.txt"), new ArrayList<>(found.keySet()), "only what the search chose");
    assertSameBytes(Map.of("letters/to-ann.txt", first.get("letters/to-ann.txt")), found);
  }

  /** The first job's files: text, a few MiB that take a moment, and names made like markup. */
  private static Map<String, byte[]> firstFiles(Path src, String tag) throws Exception {
    Files.createDirectories(src.resolve("letters"));
    Files.writeString(src.resolve("letters/to-ann.txt"), "Dear Ann,\n");
    Files.writeString(src.resolve("notes.txt"), "notes of " + tag + "\n".repeat(200));
    Files.writeString(src.resolve(IMG), "a file named like an image tag\n");
    Files.writeString(src.resolve("letters").resolve(SVG), "a file named to break out of an attribute\n");
    byte[] big = new byte[6 << 20];
    new java.util.Random(tag.hashCode()).nextBytes(big);
    Files.write(src.resolve("photos.bin"), big);
    return files(src);
  }

  /** Creates the set with the wizard (ch. 10): a local folder and the SFTP server; returns its id. */
  private static long wizard(String setName, Path src, String tag) throws Exception {
    browser.driver.get(base + "/sets");
    browser.awaitHeading("Backup Sets");
    browser.clickLink("New backup set");
    browser.awaitHeading("New backup set");
    browser.type("Name", setName);
    browser.click("Next");

    browser.find("details.advanced-source summary").click();
    Path real = src.toRealPath();
    browser.find("button[aria-label='Open /']").click();
    for (Path p = real.getRoot(); !p.equals(real); p = p.resolve(real.getName(p.getNameCount()))) {
      if (p.getNameCount() > 0) {
        browser.find("li[data-entry='" + p + "'] > .tree-row > button.tree-toggle").click();
      }
    }
    browser.find("input[data-path='" + real + "']").click();
    assertTrue(browser.find(".chosen-paths").getText().contains(real.toString()));
    browser.find("button[aria-label='Open /']").click(); // closed: the machine's folders leave the page
    shot(tag + "-03-wizard-source");
    browser.click("Next");
    browser.click("Next"); // no schedule: backups by hand

    new Select(browser.input("Destination storage")).selectByValue("local");
    browser.click("Add destination");
    browser.type("Local path", dir.resolve("usb-" + tag).toString());
    new Select(browser.input("Destination storage")).selectByValue("sftp");
    browser.click("Add destination");
    browser.type("Host", "127.0.0.1");
    browser.type("Port", String.valueOf(sftp.getPort()));
    browser.type("User name", SshPeers.USER);
    browser.type("Folder on the server", "/" + tag);
    browser.type("Password", SshPeers.PASSWORD);
    shot(tag + "-04-wizard-destinations");
    browser.click("Next");
    assertTrue(browser.input("Encrypt backup data").isSelected(), "encrypted unless the user says otherwise");
    browser.click("Finish");
    browser.awaitHeading("Backup set created");
    assertEquals(44, browser.find("[data-key]").getText().length(), "the key, shown once");
    browser.find("[data-test-ok='Local-1']");
    browser.click("Trust this host key");
    browser.find("[data-test-ok='SFTP-1']");
    shot(tag + "-05-wizard-created");
    JsonObject set = agent.getJson("sets?name=" + java.net.URLEncoder.encode(setName, "UTF-8"))
        .getJsonArray("items").getJsonObject(0);
    assertFalse(set.encode().contains(SshPeers.PASSWORD), "the SFTP password is never shown back");
    return set.getLong("id");
  }

  /** Runs a backup from the Backup screen, watches it reach 100 %; returns its first report's id. */
  private static long backUp(long setId, String setName, String tag, String round) throws Exception {
    browser.driver.get(base + "/backup");
    browser.awaitHeading("Backup");
    new Select(browser.input("Backup set")).selectByVisibleText(setName);
    browser.await("the set's backup page", d -> d.getCurrentUrl().endsWith("/backup/" + setId));
    browser.click("Start backup");
    browser.awaitHeading("Backup of " + setName);
    browser.find(".live-progress > .live-bar progress");
    browser.await("the run's end", d -> "true".equals(browser.find("[data-backup-job]").getAttribute("data-done")));
    assertEquals("100 %", browser.find(".live-progress > .live-bar .live-bar-percent").getText().replace('\u00a0', ' '));
    assertEquals("100", browser.find(".live-progress > .live-bar progress").getAttribute("aria-valuenow"));
    assertEquals("Completed", browser.find(".backup-result").getAttribute("data-status"), browser.text());
    shot(tag + "-06-backup-" + round + "-done");
    List<WebElement> links = browser.driver.findElements(By.cssSelector("a[data-report-link]"));
    assertEquals(2, links.size(), "a report per destination");
    String href = links.get(0).getAttribute("href");
    return Long.parseLong(href.substring(href.lastIndexOf('/') + 1));
  }

  /** Opens a report and filters its log by type: the page shows what the API gives for each type. */
  private static void reportLog(long reportId, String tag) throws Exception {
    browser.driver.get(base + "/report/" + reportId);
    browser.awaitHeading("Backup report");
    browser.find("table[data-table=log]");
    assertTrue(browser.text().contains("Completed"), browser.text());
    shot(tag + "-07-report");
    for (String[] type : new String[][] {{"Information", "info"}, {"Error", "error"}, {"All", null}}) {
      new Select(browser.input("Type")).selectByVisibleText(type[0]);
      JsonArray log = agent.getJson("jobs/" + reportId + (type[1] == null ? "" : "?level=" + type[1]))
          .getJsonArray("log");
      List<String> expected = log.stream().map(o -> ((JsonObject) o).getString("message").strip()).toList();
      if (expected.isEmpty()) {
        browser.await("no " + type[0] + " line", d -> browser.find("[data-empty]").isDisplayed());
      } else {
        browser.await("the " + type[0] + " lines", d -> expected.equals(d.findElements(
            By.cssSelector("table[data-table=log] tbody td.report-log-message")).stream()
            .map(WebElement::getText).toList()));
      }
    }
    assertTrue(browser.find("table[data-table=log]").getText().contains(IMG) || logMentionsNoFile(reportId),
        "the log names files as text");
    shot(tag + "-08-report-filtered");
    browser.assertNothingInjected();
  }

  private static boolean logMentionsNoFile(long reportId) throws Exception {
    return !agent.getJson("jobs/" + reportId).getJsonArray("log").encode().contains("onerror");
  }

  /** The restore screen of the set at a destination, as of its first job. */
  private static void asOfTheFirstJob(String setName, String destination) {
    browser.driver.get(base + "/restore");
    browser.awaitHeading("Restore");
    new Select(browser.input("Backup set")).selectByVisibleText(setName);
    browser.await("the destinations", d -> new Select(browser.input("Destination")).getOptions().size() == 2);
    // a change of destination or job draws the tree again at once, ready when its first folder loaded
    new Select(browser.input("Destination")).selectByVisibleText(destination);
    browser.find("[data-tree][data-ready]");
    assertEquals(2, new Select(browser.input("As of job")).getOptions().size(), "two restore points");
    new Select(browser.input("As of job")).selectByIndex(1); // newest first: the second is the first job
    browser.find("[data-tree][data-ready]");
  }

  private static WebElement entry(String path) {
    return browser.await("the tree entry " + path, d -> (WebElement) browser.script(
        "return [...document.querySelectorAll('[data-tree] li[data-path]')].find(e => e.dataset.path === arguments[0])"
            + " || null;", path));
  }

  private static void restoreThroughTheTree(String setName, Path src, String destination, Path to, String tag)
      throws Exception {
    asOfTheFirstJob(setName, destination);
    Path real = src.toRealPath();
    Path p = real.getRoot();
    for (Path part : real) {
      p = p.resolve(part);
      WebElement twisty = entry(p.toString()).findElement(By.cssSelector(":scope > .tree-row > button.twisty"));
      if (!"true".equals(twisty.getAttribute("aria-expanded"))) {
        twisty.click();
      }
    }
    entry(real.resolve(IMG).toString()); // the first job's content, names as text
    assertFalse(browser.text().contains("later.txt"), "later.txt came with the second job");
    entry(real.toString()).findElement(By.cssSelector(":scope > .tree-row > input[type=checkbox]")).click();
    shot(tag + "-09-restore-tree");
    browser.assertNothingInjected();
    restoreTo(to);
    shot(tag + "-10-restored-tree");
  }

  private static void restoreThroughTheSearch(String setName, Path src, String destination, Path to, String tag)
      throws Exception {
    asOfTheFirstJob(setName, destination);
    browser.openSearch();
    browser.type("Look in", src.toRealPath().toString());
    WebElement sub = browser.input("Search subfolders");
    if (!sub.isSelected()) {
      sub.click();
    }
    new Select(browser.input("Type")).selectByVisibleText("Starts With");
    browser.type("Pattern", "to-");
    browser.click("Search");
    WebElement row = browser.await("the search result", d -> d.findElements(By.cssSelector("tr[data-found]")).size() == 1
        ? d.findElement(By.cssSelector("tr[data-found]")) : null);
    assertTrue(row.getText().contains("to-ann.txt"), row.getText());
    row.findElement(By.cssSelector("input[type=checkbox]")).click();
    // on a phone each result is a card (its values under their column's name), not a squeezed table row
    assertEquals("phone".equals(tag) ? "block" : "table-row", row.getCssValue("display"));
    ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
        "arguments[0].scrollIntoView({block: 'center'})", row);
    shot(tag + "-11-restore-search");
    restoreTo(to);
  }

  private static void restoreTo(Path to) {
    browser.type("Restore to", to.toString());
    browser.click("Restore");
    WebElement result = browser.await("the restore's result", d -> d.findElements(
        By.cssSelector(".restore-result[data-status]")).stream().findFirst().orElse(null));
    assertEquals("Completed", result.getAttribute("data-status"), browser.text());
  }

  // ----------------------------------------------------------------------------------------------- helpers

  /** Logs out (when logged in) and in again with the password and the next unused TOTP code. */
  private static void logInAgain() throws Exception {
    logInWith(() -> browser.type("Code from your authenticator app", code()));
  }

  /**
   * The same with one of the recovery codes shown at enrolment: a third login with an authenticator
   * code within one 30 s period would have to wait for the next period (each code works once).
   */
  private static void logInAgainWithARecoveryCode() throws Exception {
    logInWith(() -> {
      browser.click("Use a recovery code");
      browser.type("Recovery code", recoveryCodes.get(0));
    });
  }

  private interface SecondStep {
    void enter() throws Exception;
  }

  private static void logInWith(SecondStep secondStep) throws Exception {
    browser.driver.get(base + "/");
    String heading = browser.await("the main screen or the login", d -> d.findElements(By.cssSelector("main h1"))
        .stream().map(WebElement::getText).filter(t -> t.equals("Main screen") || t.equals("Log in")).findFirst()
        .orElse(null));
    if (heading.equals("Main screen")) {
      browser.click("Log out");
    }
    browser.awaitHeading("Log in");
    browser.type("Login name", "admin");
    browser.type("Password", PASSWORD);
    browser.click("Log in");
    browser.awaitHeading("Second step");
    secondStep.enter();
    browser.click("Verify");
    browser.awaitHeading("Main screen");
    assertFalse(browser.scrollsSideways(), "the main screen scrolls sideways");
  }

  /**
   * A code the agent accepts: of the current 30 s period or the next (it allows one period of clock
   * difference), never one already spent (each code works once). So two codes can be used within one
   * period, never three: the journey uses two (pairing the app, the first login).
   */
  private static String code() {
    Totp totp = new Totp(Clock.systemUTC());
    long step = Math.max(totp.currentStep(), lastStep + 1);
    assertTrue(step <= totp.currentStep() + 1, "a third authenticator code within one period: none is left");
    lastStep = step;
    return totp.code(secret, step);
  }

  private static void shot(String name) throws Exception {
    browser.screenshot("journey-" + name);
    browser.assertAccessible("journey " + name);
    browser.assertNoScriptErrors();
    assertFalse(browser.scrollsSideways(), name + " scrolls sideways");
  }

  /** The restored copy of {@code src} under {@code to} (a restore to another folder keeps the full path). */
  private static Path restoredUnder(Path to, Path src) throws Exception {
    return to.resolve(src.toRealPath().toString().substring(1));
  }

  private static Map<String, byte[]> files(Path root) throws Exception {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return m;
  }

  private static void assertSameBytes(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertTrue(java.util.Arrays.equals(e.getValue(), actual.get(e.getKey())), "the bytes of " + e.getKey());
    }
  }
}
