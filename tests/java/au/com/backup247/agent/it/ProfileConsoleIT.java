package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.FakeTwilio;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

/**
 * Profile (guide ch. 9.1) and the login's "Save password" in a real browser against a real agent
 * that allows saved passwords, sends text messages through a Twilio-compatible gateway on loopback
 * ({@link FakeTwilio}: Twilio itself cannot be reached from the test machines) and has a recovery
 * public key: contacts added, edited and removed and read back from the API; the time zone;
 * encryption recovery; a second session ended from the page and refused at its next request; a phone
 * added with the passcode the gateway received (countdowns, masked number), two-factor on at once; a
 * login that saves the password, then one without it (the SMS code still asked), then the saved
 * password forgotten. Names from the API are hostile markup, shown as text. Screenshots
 * {@code profile-NN-*}; axe on each screen; Profile at 360 px.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfileConsoleIT {
  private static final String PASSWORD = ConsoleFixture.PASSWORD;
  private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";
  private static final String HOSTILE_CONTACT = "\"><script>alert(2)</script>";
  @TempDir
  static Path dir;
  static Vertx vertx;
  static FakeTwilio twilio;
  static RunningAgent agent;
  static ConsoleBrowser browser;
  static String base;
  @RegisterExtension
  static final ConsoleFixture CONSOLE = new ConsoleFixture();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    CONSOLE.closeAfter(() -> vertx.close().await());
    twilio = CONSOLE.closeAfter(new FakeTwilio(vertx));
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(3072);
    AgentProcess.writeConfig(home, new JsonObject()
        .put("api", new JsonObject().put("port", port).put("eventKeepAliveSeconds", 1)) // an ended session's stream ends at once
        .put("shutdown", new JsonObject().put("timeoutSeconds", 20))
        .put("auth", new JsonObject().put("allowRememberDevice", true).put("sms", new JsonObject().put("enabled", true)
            .put("provider", "twilio").put("baseUrl", twilio.baseUrl()).put("accountSid", FakeTwilio.SID)
            .put("authTokenFile", "config/twilio.token").put("from", "+15005550006")))
        .put("encryptionRecovery", new JsonObject().put("publicKeyFile", "config/recovery-public.pem")));
    PrivateFiles.write(home.resolve("config/twilio.token"), "twilio-auth-token-123\n".getBytes(StandardCharsets.UTF_8));
    Files.write(home.resolve("config/recovery-public.pem"), RecoveryEnvelope.pem(rsa.generateKeyPair().getPublic()));
    agent = CONSOLE.start(home, port);
    base = CONSOLE.base();
    HttpResponse<String> created = call("POST", "users", new JsonObject().put("login", "alice").put("password", PASSWORD)
        .put("displayName", HOSTILE_NAME).put("role", "user"), local());
    assertEquals(201, created.statusCode(), created.body());
    browser = CONSOLE.openBrowser();
  }

  @Test
  @Order(1)
  void general_showsTheAccountAndItsLastLogin_andFitsAPhone() throws Exception {
    browser.driver.get(base + "/profile");
    browser.awaitHeading("Log in");
    assertTrue(browser.input("Save password").isDisplayed(), "the agent allows saving the password");
    logIn(false);
    browser.awaitHeading("Profile");
    Map<String, String> rows = browser.pairs("[data-pairs=profile]");
    assertEquals("alice", rows.get("Login name"));
    assertEquals("User", rows.get("Role"));
    assertEquals(HOSTILE_NAME, browser.input("Display name").getAttribute("value"));
    assertTrue(browser.find(".bar .who").getText().contains(HOSTILE_NAME), "a name is text, never markup");
    Map<String, String> last = browser.pairs("[data-pairs=last-login]");
    assertEquals("127.0.0.1", last.get("IP address"));
    assertTrue(last.get("Browser / App").contains("Chrome"), last.toString());
    browser.assertAccessible("profile general");
    browser.screenshot("profile-01-general");

    browser.driver.manage().window().setSize(new Dimension(360, 740));
    try {
      for (String section : List.of("", "/contacts", "/authentication", "/sessions")) {
        browser.driver.get(base + "/profile" + section);
        browser.awaitHeading("Profile");
        browser.find("[data-section]");
        long scroll = (Long) browser.script("return document.documentElement.scrollWidth;");
        long width = (Long) browser.script("return window.innerWidth;");
        assertTrue(scroll <= width, "/profile" + section + " scrolls sideways at 360 px: " + scroll + " > " + width);
      }
      browser.driver.get(base + "/profile");
      browser.awaitHeading("Profile");
      // the last-login values stay beside or under their labels, never squeezed into a sliver
      long valueWidth = (Long) browser.script("return Math.round(document.querySelector("
          + "'[data-pairs=last-login] dd').getBoundingClientRect().width);");
      assertTrue(valueWidth >= 250, "the last-login value is " + valueWidth + " px wide at 360 px");
      browser.screenshot("profile-02-general-phone");
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
    }
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(2)
  void contacts_addedEditedAndRemoved_andReadBackFromTheApi() throws Exception {
    browser.driver.get(base + "/profile");
    browser.clickLink("Contacts");
    browser.awaitHeading("Profile");
    browser.find("[data-section=contacts]");
    assertTrue(browser.text().contains("No contact yet."), browser.text());

    browser.click("Add a contact");
    browser.type("Name", HOSTILE_CONTACT);
    browser.type("Email", "not an address");
    browser.click("OK");
    browser.await("the bad address refused beside its field", d -> !browser.find("[data-field=email] .field-error")
        .getText().isEmpty());
    assertEquals("true", browser.input("Email").getAttribute("aria-invalid"));
    browser.screenshot("profile-03-contact-error");
    browser.type("Email", "ops@example.com");
    browser.type("Company", "Example Pty Ltd");
    browser.click("OK");
    browser.await("the first contact listed", d -> browser.driver.findElements(By.cssSelector("[data-contact]")).size()
        == 1);
    browser.click("Add a contact");
    browser.type("Name", "Bob Night Shift");
    browser.type("Email", "bob@example.com");
    browser.type("Phone 1", "+61 2 9999 0000");
    browser.click("OK");
    browser.await("two contacts", d -> browser.driver.findElements(By.cssSelector("[data-contact]")).size() == 2);
    assertEquals(HOSTILE_CONTACT, browser.find("[data-contact='ops@example.com'] strong").getText(),
        "the name is shown as text");
    browser.assertAccessible("contacts");
    browser.screenshot("profile-04-contacts");

    browser.find("button[aria-label='Edit Bob Night Shift']").click();
    browser.type("Email", "bob@example.org");
    browser.click("OK");
    browser.await("the edited address listed", d -> !browser.driver.findElements(
        By.cssSelector("[data-contact='bob@example.org']")).isEmpty());
    browser.find("button[aria-label='Remove " + HOSTILE_CONTACT + "']").click();
    browser.click("Yes, remove");
    browser.await("one contact left", d -> browser.driver.findElements(By.cssSelector("[data-contact]")).size() == 1);

    JsonArray saved = profile().getJsonArray("contacts");
    assertEquals(1, saved.size(), saved.encode());
    assertEquals(new JsonObject().put("name", "Bob Night Shift").put("email", "bob@example.org")
        .put("phone1", "+61 2 9999 0000"), saved.getJsonObject(0));
    browser.driver.navigate().refresh();
    browser.awaitHeading("Profile");
    assertEquals(1, browser.driver.findElements(By.cssSelector("[data-contact='bob@example.org']")).size());
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(3)
  void timeZone_chosenFromTheBrowsersZones_isSaved() throws Exception {
    browser.clickLink("Time Zone");
    browser.awaitHeading("Profile");
    Select zone = new Select(browser.input("Time zone"));
    assertTrue(zone.getOptions().size() > 300, "the IANA zones the browser knows: " + zone.getOptions().size());
    zone.selectByValue("Australia/Sydney");
    browser.click("Save");
    browser.await("saved", d -> browser.text().contains("The time zone is now Australia/Sydney."));
    assertEquals("Australia/Sydney", profile().getString("timeZone"));
    browser.assertAccessible("time zone");
    browser.screenshot("profile-05-time-zone");
    // times are shown in the profile's zone from now on, not the browser's: the last login's hour
    long last = profile().getJsonObject("lastLogin").getLong("time");
    java.time.ZonedDateTime sydney = java.time.Instant.ofEpochMilli(last).atZone(java.time.ZoneId.of("Australia/Sydney"));
    String shown = String.format("%d:%02d", sydney.getHour() % 12 == 0 ? 12 : sydney.getHour() % 12, sydney.getMinute());
    browser.clickLink("General");
    browser.awaitHeading("Profile");
    String lastLine = browser.await("the last login", d -> browser.find("[data-pairs=last-login]").getText());
    assertTrue(lastLine.contains(shown), "the last login at " + shown + " Sydney time: " + lastLine);
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(4)
  void encryptionRecovery_turnedOn_andTheOfflineCommandShown() throws Exception {
    browser.clickLink("Encryption Recovery");
    browser.awaitHeading("Profile");
    browser.find("[data-recovery=available]");
    assertTrue(browser.text().contains("b247 repo recover-key --repo URL --private-key"), browser.text());
    assertFalse(browser.input("Seal the keys of the backup sets I create for recovery").isSelected());
    browser.input("Seal the keys of the backup sets I create for recovery").click();
    browser.click("Save");
    browser.await("on", d -> browser.text().contains("Encryption recovery is on"));
    assertTrue(profile().getBoolean("encryptionRecovery"));
    browser.assertAccessible("encryption recovery");
    browser.screenshot("profile-06-encryption-recovery");
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(5)
  void sessions_anotherSessionEndedFromThePage_isRefusedAtItsNextRequest() throws Exception {
    HttpResponse<String> other = call("POST", "auth/login", new JsonObject().put("login", "alice")
        .put("password", PASSWORD), "User-Agent", "OtherDevice/1.0");
    assertEquals(200, other.statusCode(), other.body());
    String token = new JsonObject(other.body()).getString("token");
    assertEquals(200, call("GET", "auth/me", null, "Authorization", "Bearer " + token).statusCode());
    // that session's event stream (a page left open on the other device): it must end with the session
    java.util.concurrent.CompletableFuture<HttpResponse<String>> stream = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build().sendAsync(HttpRequest.newBuilder(URI.create(base
            + "/api/v1/events")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

    browser.clickLink("Sessions");
    browser.awaitHeading("Profile");
    browser.await("two sessions", d -> browser.driver.findElements(By.cssSelector("[data-session]")).size() == 2);
    assertTrue(browser.find("[data-current=true]").getText().contains("this browser"), browser.text());
    browser.assertAccessible("sessions");
    browser.screenshot("profile-07-sessions");
    browser.find("[data-session]:not([data-current]) button").click();
    browser.await("one session left", d -> browser.driver.findElements(By.cssSelector("[data-session]")).size() == 1);
    assertEquals(401, call("GET", "auth/me", null, "Authorization", "Bearer " + token).statusCode(),
        "the ended session is refused");
    // checked at the stream's next keep-alive (every second here: api.eventKeepAliveSeconds)
    HttpResponse<String> ended = stream.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, ended.statusCode());
    assertTrue(ended.body().startsWith(": connected"), ended.body());
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(6)
  void aPhoneForTextMessages_confirmedWithTheCodeTheGatewayReceived_turnsTwoFactorOnWithoutAReload()
      throws Exception {
    browser.clickLink("Authentication");
    browser.awaitHeading("Profile");
    assertEquals("off", browser.find("[data-2fa-state]").getAttribute("data-2fa-state"));
    browser.type("Your password", PASSWORD);
    browser.type("Name of the phone", "Mobile");
    browser.type("Phone number", "+61 412 345 689");
    int before = twilio.count();
    browser.click("Send a code");
    browser.await("the code sent", d -> browser.text().contains("A code was sent to +61 4•• ••• •89."));
    assertEquals(before + 1, twilio.count());
    String status = browser.find("[data-sms-status]").getText();
    assertTrue(status.matches("Code sent; it expires in \\d+ s\\. You can ask for another in \\d+ s\\."), status);
    assertFalse(browser.driver.findElement(By.xpath("//button[normalize-space()='Send another code']")).isEnabled(),
        "no resend before its countdown ends");
    assertFalse(browser.text().contains("412 345 689"), "the number is masked");
    browser.assertAccessible("sms enrolment");
    browser.screenshot("profile-08-sms-code-sent");

    browser.type("The code in the text message", passcode());
    browser.click("Confirm the phone");
    browser.await("ten recovery codes shown once", d -> browser.driver.findElements(
        By.cssSelector("[data-recovery-codes] li")).size() == 10);
    assertEquals("on", browser.find("[data-2fa-state]").getAttribute("data-2fa-state"), "on at once, no reload");
    assertEquals("Turn off", browser.find("button[data-toggle-2fa]").getText());
    assertTrue(browser.find("[data-authenticator=Mobile]").getText().contains("Paired"), browser.text());
    assertTrue(browser.find("[data-authenticator=Mobile]").getText().contains("+61 4•• ••• •89"), browser.text());
    browser.screenshot("profile-09-sms-paired");
    browser.clickLink("General");
    browser.awaitHeading("Profile");
    assertEquals("+61 4•• ••• •89 (Mobile)", browser.pairs("[data-pairs=profile]").get("Phone number (MFA)"));
    browser.assertNoScriptErrors();
  }

  @Test
  @Order(7)
  void savePassword_thenALoginWithoutIt_theTextMessageStillAsked() throws Exception {
    browser.click("Log out");
    browser.awaitHeading("Log in");
    logIn(true);
    smsSecondStep();
    browser.awaitHeading("Main screen");
    Cookie saved = browser.driver.manage().getCookieNamed("b247_remember");
    assertNotNull(saved, "the saved password's cookie");
    assertTrue(saved.isHttpOnly(), "out of the page's scripts' reach");
    assertFalse(String.valueOf(browser.script("return document.cookie;")).contains("b247_remember"));

    browser.click("Log out");
    browser.awaitHeading("Log in");
    browser.find("form[data-saved-login=alice]");
    assertTrue(browser.driver.findElements(By.cssSelector("input[type=password]")).isEmpty(), "no password asked");
    browser.assertAccessible("login with a saved password");
    browser.screenshot("profile-10-login-saved");
    browser.click("Log in as alice");
    smsSecondStep();
    browser.awaitHeading("Main screen");

    browser.driver.get(base + "/profile/sessions");
    browser.awaitHeading("Profile");
    assertTrue(browser.text().contains("Saved password"), browser.text());
    browser.click("Log out everywhere");
    browser.awaitHeading("Log in");
    assertEquals(List.of("remembered"), sessionKinds(), "every session ended, the saved password kept");

    browser.find("form[data-saved-login=alice]");
    browser.click("Use another account or password");
    browser.input("Password");
    assertEquals(List.of(), sessionKinds(), "the saved password is forgotten on the agent too");
    assertEquals(null, browser.driver.manage().getCookieNamed("b247_remember"));
    browser.assertNoScriptErrors();
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static void logIn(boolean savePassword) {
    browser.type("Login name", "alice");
    browser.type("Password", PASSWORD);
    if (savePassword) {
      browser.input("Save password").click();
    }
    browser.click("Log in");
  }

  /** The second step by text message: sends the code, reads it at the gateway, types it. */
  private static void smsSecondStep() throws Exception {
    browser.awaitHeading("Second step");
    int before = twilio.count();
    browser.click("Send the code");
    browser.await("the text message sent", d -> twilio.count() > before);
    browser.type("Code from the text message", passcode());
    browser.click("Verify");
  }

  private static String passcode() {
    Matcher m = Pattern.compile("(\\d{6})").matcher(twilio.lastBody());
    assertTrue(m.find(), twilio.lastBody());
    return m.group(1);
  }

  /** Alice's profile as the API reads it (the local token acting as her). */
  private static JsonObject profile() throws Exception {
    HttpResponse<String> r = call("GET", "profile", null, local("X-B247-User", "alice"));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** The kinds of Alice's live sessions and saved passwords, as the API lists them. */
  private static List<String> sessionKinds() throws Exception {
    HttpResponse<String> r = call("GET", "profile/sessions", null, local("X-B247-User", "alice"));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("kind")).toList();
  }

  private static String[] local(String... more) throws Exception {
    String token = Files.readString(agent.home.resolve("run/api-token"), StandardCharsets.UTF_8).strip();
    String[] out = new String[more.length + 2];
    out[0] = "Authorization";
    out[1] = "Bearer " + token;
    System.arraycopy(more, 0, out, 2, more.length);
    return out;
  }

  private static HttpResponse<String> call(String method, String path, JsonObject body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/" + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
