package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
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
 * The Backup Sets screens in a real browser against a real agent: the list, the creation wizard of
 * ch. 10 (the source chosen by browsing the agent machine's folders, a schedule, a local folder and
 * an SFTP server on loopback, each tested from the wizard before Finish with the SFTP host key trusted
 * there and kept with the set's credentials, the key shown once), field
 * errors beside their field, every settings page of ch. 9.5 changed, saved and read back through the
 * API, rename (to a name that is markup: shown as text), unmask, delete with its confirmation, and
 * the list at 360 px. Screenshots in {@code target/console-screenshots/sets-*}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetsConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String HOSTILE = "<img src=x onerror=alert(1)>";
  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static SshServer sftp;
  static String fingerprint;
  static String base;
  static Path source;
  static long setId;
  static String key;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void start() throws Exception {
    source = Files.createDirectories(dir.resolve("src/letters")).getParent();
    Files.writeString(source.resolve("letters/to-ann.txt"), "Dear Ann,\n");
    Files.writeString(source.resolve(HOSTILE), "a file named like markup\n");
    KeyPair hostKey = SshPeers.ed25519();
    fingerprint = SftpStore.fingerprint(hostKey.getPublic());
    sftp = SshPeers.mina(0, Files.createDirectories(dir.resolve("sftp-root")), hostKey, null);
    CONSOLE.closeAfter(() -> sftp.stop(true));
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    CONSOLE.createAdmin();
    Path pw = dir.resolve("pw.txt"); // bob's password, for the account made later with b247 user create
    Files.writeString(pw, PASSWORD);
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
    browser = CONSOLE.openBrowser();
  }

  private static void check(String name) throws Exception {
    browser.screenshot("sets-" + name);
    browser.assertAccessible("sets " + name);
    browser.assertNoScriptErrors();
  }

  private static Select select(String label) {
    return new Select(browser.input(label));
  }

  private static JsonObject set() throws Exception {
    return agent.getJson("sets/" + setId);
  }

  @Test
  @Order(1)
  void theList_isEmptyAtFirst_andOffersANewSet() throws Exception {
    browser.logIn(base + "/sets", "admin", PASSWORD, "Backup Sets");
    assertTrue(browser.text().contains("No backup set yet"), browser.text());
    check("01-list-empty");
  }

  @Test
  @Order(2)
  void theWizard_choosesFoldersByBrowsing_andShowsRefusedFieldsBesideThem() throws Exception {
    browser.clickLink("New backup set");
    browser.awaitHeading("New backup set");
    browser.type("Name", "Docs");
    assertEquals("File backup", select("Backup set type").getFirstSelectedOption().getText());
    check("02-wizard-name");
    browser.click("Next");

    browser.find("details.advanced-source summary").click();
    List<Path> chain = new ArrayList<>();
    for (Path p = source.toRealPath(); p.getParent() != null; p = p.getParent()) {
      chain.add(0, p);
    }
    browser.find("button[aria-label='Open /']").click();
    for (Path p : chain.subList(0, chain.size() - 1)) {
      browser.find("li[data-entry='" + p + "'] > .tree-row > button.tree-toggle").click();
    }
    browser.find("input[data-path='" + source.toRealPath() + "']").click();
    browser.find("li[data-entry='" + source.toRealPath() + "'] > .tree-row > button.tree-toggle").click();
    browser.input("Show files").click();
    assertTrue(browser.find("li[data-entry='" + source.toRealPath().resolve(HOSTILE) + "'] label").getText()
        .startsWith(HOSTILE), "a file named like markup, as text");
    assertTrue(browser.find(".chosen-paths").getText().contains(source.toRealPath().toString()));
    browser.screenshot("sets-03-wizard-source-browsed");
    browser.find("button[aria-label='Open /']").click(); // closed: the machine's folders leave the page
    browser.await("the tree closed", d -> d.findElements(By.cssSelector("li[data-entry='/tmp']")).isEmpty());
    check("03-wizard-source-chosen");
    browser.click("Next");

    browser.click("Add schedule");
    assertEquals("Daily", select("Type").getFirstSelectedOption().getText());
    check("04-wizard-schedule");
    browser.click("Next");

    select("Destination storage").selectByValue("local");
    browser.click("Add destination");
    browser.type("Local path", "backup-here");
    select("Destination storage").selectByValue("sftp");
    browser.click("Add destination");
    browser.type("Host", "127.0.0.1");
    browser.type("Port", String.valueOf(sftp.getPort()));
    browser.type("User name", SshPeers.USER);
    browser.type("Folder on the server", "/b247");
    browser.type("Password", SshPeers.PASSWORD);
    check("05-wizard-destinations");
    browser.click("Next");

    assertTrue(browser.input("Encrypt backup data").isSelected());
    check("06-wizard-encryption");
    browser.click("Finish");
    browser.await("the refused local path beside its field", d -> !browser.find("[data-field='destinations[0].url'] "
        + ".field-error").getText().isEmpty());
    assertEquals("true", browser.input("Local path").getAttribute("aria-invalid"));
    assertTrue(browser.find("[data-step='4']").isDisplayed(), "the wizard goes back to the destinations");
    check("07-wizard-field-error");
  }

  @Test
  @Order(3)
  void finish_createsTheSet_showsTheKeyOnce_afterTheWizardsTestTrustedTheSftpHostKey() throws Exception {
    browser.type("Local path", dir.resolve("usb").toString());
    // Test before Finish: the destinations as typed, with the password typed (the set does not exist yet)
    browser.find("button[aria-label='Test destination Local-1']").click();
    browser.find("[data-test-ok='Local-1']");
    assertFalse(Files.exists(dir.resolve("usb")), "the wizard's test leaves the local folder as it found it");
    browser.find("button[aria-label='Test destination SFTP-1']").click();
    assertEquals(fingerprint, browser.find("[data-fingerprint]").getText());
    browser.script("arguments[0].scrollIntoView({block: 'center'})", browser.find("[data-fingerprint]"));
    check("08-wizard-host-key");
    browser.click("Trust this host key");
    browser.find("[data-test-ok='SFTP-1']");
    assertTrue(browser.text().contains("b247-test"), "says where it tested: " + browser.text());
    check("08-wizard-tested");
    browser.click("Next");
    browser.click("Finish");
    browser.awaitHeading("Backup set created");
    key = browser.find("[data-key]").getText();
    assertEquals(44, key.length(), key);
    browser.find("[data-test-ok='Local-1']");
    browser.find("[data-test-ok='SFTP-1']"); // the host key trusted in the wizard was stored with the password
    assertTrue(browser.driver.findElements(By.cssSelector("[data-fingerprint]")).isEmpty(), "not asked again");
    check("09-created-tested");

    JsonObject created = agent.getJson("sets?name=Docs").getJsonArray("items").getJsonObject(0);
    setId = created.getLong("id");
    assertEquals(List.of(source.toRealPath().toString()), created.getJsonObject("source").getJsonArray("paths").getList());
    assertEquals("stored", created.getJsonArray("destinations").getJsonObject(1).getString("credentials"));
    assertFalse(created.encode().contains(SshPeers.PASSWORD), "the password is never shown back");
    assertEquals("21:00", created.getJsonArray("schedules").getJsonObject(0).getString("at"));

    browser.driver.navigate().refresh();
    browser.awaitHeading("New backup set");
    assertTrue(browser.driver.findElements(By.cssSelector("[data-key]")).isEmpty(), "the key is shown once");
  }

  private static void open(String section) {
    browser.driver.get(base + "/sets/" + setId);
    browser.awaitHeading("Docs");
    browser.clickLink(section);
    browser.await("the " + section + " page", d -> d.findElements(By.cssSelector("form h2")).stream()
        .anyMatch(h -> section.equals(h.getText())));
  }

  private static void save() {
    browser.click("Save");
    browser.await("Saved.", d -> "Saved.".equals(browser.find("[data-saved]").getText()));
  }

  @Test
  @Order(4)
  void theBasicSettingsPages_save_andReadBack() throws Exception {
    open("Source");
    browser.input("Apply filters to the backup source").click();
    browser.click("Add filter");
    browser.type("Patterns", ".txt");
    check("10-source");
    save();
    assertEquals(".txt", set().getJsonObject("source").getJsonArray("filters").getJsonObject(0)
        .getJsonArray("patterns").getString(0));

    open("Backup Schedule");
    select("Start backup").selectByValue("every");
    select("Interval").selectByValue("4h");
    check("11-schedule");
    save();
    assertEquals("4h", set().getJsonArray("schedules").getJsonObject(0).getString("every"));

    open("Destination");
    select("Backup mode").selectByValue("concurrent");
    browser.find("button[aria-label='Test destination Local-1']").click();
    browser.find("[data-test-ok='Local-1']");
    check("12-destination");
    save();
    assertEquals("concurrent", set().getString("backupMode"));
  }

  @Test
  @Order(5)
  void theAdvancedSettingsPages_save_andShowRefusalsBesideTheField() throws Exception {
    open("Deduplication");
    browser.input("Enable Deduplication").click();
    check("13-deduplication");
    save();
    assertFalse(set().getJsonObject("deduplication").getBoolean("enabled"));

    open("Retention Policy");
    browser.type("Keep the deleted files for", "0");
    browser.click("Save");
    browser.await("the refused number beside its field", d -> !browser.find("[data-field='retention.keepDays'] "
        + ".field-error").getText().isEmpty());
    check("14-retention-field-error");
    browser.type("Keep the deleted files for", "30");
    save();
    assertEquals(30, set().getJsonObject("retention").getInteger("keepDays"));
    select("Retention policy").selectByValue("advanced");
    browser.click("Add retention policy");
    select("Type").selectByValue("weekly");
    check("15-retention-advanced");
    save();
    JsonObject policy = set().getJsonObject("retention").getJsonArray("policies").getJsonObject(0);
    assertEquals("weekly", policy.getString("type"));

    open("Command Line Tool");
    browser.click("Add pre-backup command");
    browser.type("Command", "ls -la");
    check("16-commands");
    save();
    assertEquals("ls -la", set().getJsonArray("preBackupCommands").getJsonObject(0).getString("command"));

    open("Bandwidth Control");
    browser.input("Enable bandwidth control").click();
    browser.click("Add bandwidth control");
    browser.type("Maximum transfer rate", "500");
    check("17-bandwidth");
    save();
    assertEquals("500Kibit/s", set().getJsonObject("bandwidth").getJsonArray("limits").getJsonObject(0)
        .getString("rate"));

    open("Others");
    select("Compression").selectByValue("normal");
    browser.click("Unmask encryption key");
    assertEquals(key, browser.find("[data-key]").getText());
    check("18-others-unmasked");
    save();
    assertEquals("normal", set().getJsonObject("others").getString("compression"));
  }

  @Test
  @Order(6)
  void rename_toMarkup_showsItAsText_inTheSettingsAndTheList() throws Exception {
    open("General");
    browser.type("Name", HOSTILE);
    save();
    browser.awaitHeading(HOSTILE);
    assertEquals(HOSTILE, set().getString("name"));
    check("19-general-renamed");
    browser.clickLink("Back to backup sets");
    browser.awaitHeading("Backup Sets");
    WebElement link = browser.find("table[data-table=sets] a");
    assertEquals(HOSTILE, link.getText());
    assertTrue(browser.find("table[data-table=sets] tbody tr").getText().contains("(Daily every 4h)"),
        "the next run with its schedule: " + browser.find("table[data-table=sets] tbody tr").getText());
    assertTrue(browser.driver.findElements(By.cssSelector("main img")).isEmpty(), "no markup from a name");
    check("20-list");

    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      for (String path : new String[] {"/sets", "/sets/" + setId + "/schedule", "/sets/new"}) {
        browser.driver.get(base + path);
        browser.awaitHeading(path.equals("/sets") ? "Backup Sets" : path.equals("/sets/new") ? "New backup set" : HOSTILE);
        long width = (Long) browser.script("return document.documentElement.clientWidth;");
        long scroll = (Long) browser.script("return document.documentElement.scrollWidth;");
        assertTrue(scroll <= width, path + " scrolls sideways at 360 px: " + scroll + " > " + width);
      }
      check("21-narrow");
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(7)
  void delete_asksFirst_thenTheSetIsGone() throws Exception {
    browser.driver.get(base + "/sets/" + setId);
    browser.awaitHeading(HOSTILE);
    browser.click("Delete this backup set");
    assertTrue(browser.find("[role=alertdialog]").getText().contains(HOSTILE));
    check("22-delete-confirm");
    browser.click("Cancel");
    browser.click("Delete this backup set");
    browser.click("Delete");
    browser.awaitHeading("Backup Sets");
    assertEquals("/sets", new URI(browser.driver.getCurrentUrl()).getPath());
    assertTrue(agent.getJson("sets").getJsonArray("items").isEmpty());
    browser.assertNoScriptErrors();
  }

  /** Logs in through the API (as a script would) and answers the session's bearer token. */
  private static String login(String name) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("login", name).put("password", PASSWORD).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  @Test
  @Order(8)
  void aUser_browsesOnlyTheirFolders_andIsToldWhyCommandsAreRefused() throws Exception {
    Path bobHome = Files.createDirectories(dir.resolve("bob/Documents")).getParent();
    agent.ok("user", "create", "bob", "--password-file", dir.resolve("pw.txt").toString(), "--folder", bobHome.toString());
    JsonObject set = new JsonObject().put("name", "Bob's documents")
        .put("source", new JsonObject().put("home", bobHome.toString()).put("shortcuts", new JsonArray().add("documents")))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", bobHome.resolve("backup").toString())));
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sets"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + login("bob"))
        .POST(HttpRequest.BodyPublishers.ofString(set.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    long bobs = new JsonObject(created.body()).getLong("id");

    browser.click("Log out");
    browser.awaitHeading("Log in");
    browser.type("Login name", "bob");
    browser.type("Password", PASSWORD);
    browser.click("Log in");
    browser.awaitHeading("Main screen");
    browser.driver.get(base + "/sets/new");
    browser.awaitHeading("New backup set");
    browser.click("Next");
    assertTrue(browser.input("Documents").isDisplayed(), "the shortcuts of bob's own home");
    browser.find("details.advanced-source summary").click();
    assertEquals(List.of(bobHome.toString()), browser.driver.findElements(By.cssSelector(".folder-tree > li"))
        .stream().map(li -> li.getAttribute("data-entry")).toList(), "only bob's folders");
    check("23-user-source");

    browser.driver.get(base + "/sets/" + bobs + "/commands");
    browser.awaitHeading("Bob's documents");
    browser.click("Add pre-backup command");
    browser.type("Command", "id");
    browser.click("Save");
    browser.await("the refusal", d -> browser.find("form [role=alert]").getText().contains("only be set by an admin"));
    check("24-user-commands-refused");
    assertTrue(agent.getJson("sets/" + bobs).getJsonArray("preBackupCommands").isEmpty());
  }
}
