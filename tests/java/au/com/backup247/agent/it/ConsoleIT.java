package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.Totp;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * The web console in a real browser (headless chromium) against a real agent process: first-run
 * setup with the one-time code, the main screen, Information, Language (every label changes at once),
 * Profile, logout, a login with a TOTP code the test computes from the enrolment secret, deep links
 * surviving a reload, a phone-sized window, axe-core on each screen, and framing from another origin
 * refused. Screenshots of every screen go to {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String NEW_PASSWORD = "seven green turtles at noon";
  @TempDir
  static Path dir;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static String base;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void start() throws Exception {
    agent = CONSOLE.start(dir.resolve("home"));
    base = CONSOLE.base();
    browser = CONSOLE.openBrowser();
  }

  @Test
  @Order(1)
  void firstRun_setupCodeCreatesTheAdmin_thenTheMainScreenHasTheGuidesNineEntries() throws Exception {
    browser.driver.get(base + "/information");
    browser.awaitHeading("Set up the agent");
    assertEquals("/setup", new URI(browser.driver.getCurrentUrl()).getPath());
    browser.assertAccessible("setup");
    browser.screenshot("01-setup");
    String code = Files.readString(agent.home.resolve("run/setup-code")).trim();

    browser.type("Setup code", "WRONG-CODE");
    browser.type("Login name", "admin");
    browser.type("Display name", "Alice <b>Admin</b>");
    browser.type("Password", "short");
    browser.type("Password again", "short");
    browser.click("Create the administrator");
    browser.await("the wrong setup code refused", d -> browser.find("[role=alert]").getText()
        .contains("wrong setup code"));

    browser.type("Setup code", code);
    browser.click("Create the administrator");
    browser.await("the short password refused beside its field", d -> !browser.find("[data-field=password] "
        + ".field-error").getText().isEmpty());
    assertTrue(browser.find("[data-field=password] .field-error").getText().contains("10"),
        browser.find("[data-field=password] .field-error").getText());
    assertEquals("true", browser.input("Password").getAttribute("aria-invalid"));
    browser.screenshot("02-setup-field-error");

    browser.type("Password", PASSWORD);
    browser.type("Password again", PASSWORD);
    browser.click("Create the administrator");
    browser.awaitHeading("Main screen");
    assertFalse(Files.exists(agent.home.resolve("run/setup-code")), "the setup code is spent");
    List<String> entries = browser.driver.findElements(By.cssSelector("a[data-entry] .title")).stream()
        .map(e -> e.getText()).toList();
    assertEquals(List.of("Profile", "Language", "Information", "Backup", "Backup Sets", "Report", "Restore",
        "Settings", "Utilities"), entries);
    assertTrue(browser.find(".bar .who").getText().contains("Alice <b>Admin</b>"),
        "a name is shown as text, never as markup");
    browser.assertAccessible("main");
    browser.screenshot("03-main");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(2)
  void information_showsTheGuidesTable_andADeepLinkSurvivesAReload() throws Exception {
    browser.clickLink("Information");
    browser.awaitHeading("Information");
    Map<String, String> rows = browser.table("table[data-table=information]");
    assertEquals(agent.getJson("info").getString("version"), rows.get("Version"));
    assertTrue(rows.get("Heap Size").matches("[\\d,]+ kbytes \\(Current\\) / [\\d,]+ kbytes \\(Maximum\\)"),
        rows.get("Heap Size"));
    assertTrue(rows.containsKey("Number of Processors") && rows.containsKey("Operating System"), rows.toString());
    browser.assertAccessible("information");
    browser.screenshot("04-information");

    browser.driver.navigate().refresh();
    browser.awaitHeading("Information");
    assertEquals("/information", new URI(browser.driver.getCurrentUrl()).getPath());
    browser.driver.navigate().back();
    browser.awaitHeading("Main screen");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(3)
  void language_changesEveryLabelAtOnce_andIsKeptInTheProfile() throws Exception {
    browser.driver.get(base + "/language");
    browser.awaitHeading("Language");
    browser.assertAccessible("language");
    browser.find("input[name=language][value=fr]").click();
    browser.click("Save");
    browser.awaitHeading("Langue");
    assertEquals("Se déconnecter", browser.find(".bar button").getText());
    assertEquals("fr", agent.getJson("users/admin").getString("language"));
    browser.screenshot("05-language-fr");

    browser.clickLink("B247 Agent");
    browser.awaitHeading("Écran principal");
    browser.clickLink("Informations");
    browser.awaitHeading("Informations");
    Map<String, String> rows = browser.table("table[data-table=information]");
    assertTrue(rows.containsKey("Taille du tas") && rows.get("Taille du tas").contains("(maximum)"), rows.toString());
    browser.screenshot("06-information-fr");

    browser.driver.get(base + "/language");
    browser.awaitHeading("Langue");
    browser.find("input[name=language][value=en]").click();
    browser.click("Enregistrer");
    browser.awaitHeading("Language");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(4)
  void profile_showsTheLastSuccessfulLogin_andChangesThePassword() throws Exception {
    browser.driver.get(base + "/profile");
    browser.awaitHeading("Profile");
    Map<String, String> rows = browser.pairs("[data-pairs=profile]");
    assertEquals("admin", rows.get("Login name"));
    assertEquals("Administrator", rows.get("Role"));
    assertEquals("127.0.0.1", browser.pairs("[data-pairs=last-login]").get("IP address"));
    browser.assertAccessible("profile");
    browser.screenshot("07-profile");
    browser.clickLink("Authentication");
    browser.awaitHeading("Profile");

    browser.type("Current password", "not my password at all");
    browser.type("New password", NEW_PASSWORD);
    browser.type("Password again", NEW_PASSWORD);
    browser.click("Change the password");
    browser.await("the wrong current password named beside its field", d -> !browser.find("[data-field=current] "
        + ".field-error").getText().isEmpty());
    browser.type("Current password", PASSWORD);
    browser.click("Change the password");
    browser.await("the password changed", d -> browser.text().contains("The password is changed"));
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(5)
  void twoFactor_pairedOnTheProfileScreen_thenALoginWithATotpCodeComputedFromTheShownKey() throws Exception {
    browser.driver.get(base + "/profile/authentication");
    browser.awaitHeading("Profile");
    assertTrue(browser.text().contains("Two-factor authentication is off."), browser.text());
    browser.type("Your password", NEW_PASSWORD);
    browser.click("Add the app");
    String key = browser.find("[data-secret]").getText();
    assertTrue(key.matches("[A-Z2-7]{16,}"), key);
    assertTrue((Boolean) browser.script("const i = document.querySelector('img[data-qr]');"
        + " return i.complete && i.naturalWidth > 0;"), "the QR code is shown");
    browser.screenshot("08-pair-app");
    Totp totp = new Totp(Clock.systemUTC());
    byte[] secret = Totp.fromBase32(key);
    browser.type("The code the app shows", totp.code(secret, totp.currentStep()));
    browser.click("Pair the app");
    browser.await("ten recovery codes shown once", d -> browser.driver.findElements(
        By.cssSelector("[data-recovery-codes] li")).size() == 10);
    browser.assertAccessible("pair app");
    browser.screenshot("09-recovery-codes");
    assertTrue(browser.text().contains("Two-factor authentication is on."), "on at once, no reload: " + browser.text());
    assertEquals("Turn off", browser.find("button[data-toggle-2fa]").getText());
    browser.click("Done");
    assertTrue(browser.find("[data-authenticator=Phone]").getText().contains("Paired"), browser.text());

    browser.click("Log out");
    browser.awaitHeading("Log in");
    browser.driver.get(base + "/report");
    browser.awaitHeading("Log in");
    assertTrue(browser.driver.findElements(By.name("remember")).isEmpty(), "no Save password: the agent does not allow it");
    browser.type("Login name", "admin");
    browser.type("Password", PASSWORD);
    browser.click("Log in");
    browser.await("the old password refused", d -> browser.find("[role=alert]").getText()
        .contains("wrong login name or password"));
    browser.type("Password", NEW_PASSWORD);
    browser.click("Log in");
    browser.awaitHeading("Second step");
    browser.assertAccessible("second step");
    browser.screenshot("10-second-step");
    // the code of the next period: the current one was spent pairing the app (each code works once)
    browser.type("Code from your authenticator app", totp.code(secret, totp.currentStep() + 1));
    browser.click("Verify");
    browser.awaitHeading("Report");
    browser.find("table[data-table=reports], [data-empty]"); // the screen the login was asked for, drawn
    browser.screenshot("11-report-after-login");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(6)
  void aPhoneSizedWindow_showsEveryScreenWithoutSidewaysScrolling() throws Exception {
    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      for (String[] screen : new String[][] {{"/", "Main screen"}, {"/information", "Information"},
          {"/profile", "Profile"}, {"/language", "Language"}}) {
        browser.driver.get(base + screen[0]);
        browser.awaitHeading(screen[1]);
        long scroll = (Long) browser.script("return document.documentElement.scrollWidth;");
        long width = (Long) browser.script("return window.innerWidth;");
        assertTrue(scroll <= width, screen[0] + " scrolls sideways at 360 px: " + scroll + " > " + width);
        browser.screenshot("12-phone" + screen[0].replace('/', '-'));
      }
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(7)
  void aConsolePageInAFrameOfAnotherOrigin_isRefused() throws Exception {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String page = "<!doctype html><title>other</title><iframe id=f src=\"" + base + "/\"></iframe>";
    other.createContext("/", ex -> {
      byte[] b = page.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/html");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    other.start();
    try {
      // localhost is another origin than 127.0.0.1 for the browser; get() returns once the page and its
      // frame have loaded (or been refused)
      browser.driver.get("http://localhost:" + other.getAddress().getPort() + "/");
      browser.find("iframe#f");
      browser.driver.switchTo().frame("f");
      assertTrue(browser.driver.findElements(By.cssSelector("main#main")).isEmpty(),
          "the console rendered inside another origin's frame");
      browser.driver.switchTo().defaultContent();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
      assertFalse(r.body().contains("<script>"), "no inline script");
    } finally {
      other.stop(0);
    }
  }
}
