package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by its chromedriver through Selenium (no Selenium Manager, so
 * nothing is downloaded). Saves a screenshot of each screen a test names under
 * {@code target/console-screenshots/}, and when a test fails, a screenshot and the browser's console
 * log ({@code <test>-FAILED.png}, {@code <test>-console.log}) through {@link OnFailure}.
 *
 * <p>Missing chromium or chromedriver ({@code apt-get install chromium chromium-driver}; .ci/run does):
 * the test is skipped, or fails under {@code CI=true}. The accessibility check runs axe-core
 * ({@code npm install -g axe-core}; found with {@code npm root -g} or {@code AXE_CORE_JS}).
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  final ChromeDriver driver;

  private ConsoleBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  static ConsoleBrowser open(int width, int height) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      String why = "the console tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
          + "): apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--lang=en-US", "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, options);
    d.manage().window().setSize(new Dimension(width, height));
    return new ConsoleBrowser(d);
  }

  /**
   * Waits up to 30 s for {@code condition} to give something other than null or false: it returns as
   * soon as it holds; the limit only needs room for a page, a login (Argon2) or an answer of the agent
   * on a busy machine, where the browser, the agent and the tests share two processors.
   */
  <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(what)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    } catch (RuntimeException e) {
      throw new AssertionError("waited 30 s for " + what + "; the page shows: " + text(), e);
    }
  }

  /** The page's main heading once it reads {@code heading}. */
  void awaitHeading(String heading) {
    await("the heading \"" + heading + "\"", d -> d.findElements(By.cssSelector("main h1")).stream()
        .anyMatch(h -> heading.equals(h.getText())));
  }

  WebElement find(String css) {
    return await("an element " + css, d -> d.findElements(By.cssSelector(css)).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** The input labelled {@code label} (a real label element, as a screen reader finds it). */
  WebElement input(String label) {
    // one query in the page: asking for each label's text in turn took ~90 s on a page of 1,000 labels
    return await("the field labelled \"" + label + "\"", d -> (WebElement) script(
        "const l = [...document.querySelectorAll('label[for]')].find(l => l.innerText.trim() === arguments[0]);"
            + " return l ? document.getElementById(l.htmlFor) : null;", label));
  }

  void type(String label, String text) {
    WebElement in = input(label);
    in.clear();
    in.sendKeys(text);
  }

  void click(String buttonText) {
    await("a button \"" + buttonText + "\"", d -> d.findElements(By.tagName("button")).stream()
        .filter(b -> buttonText.equals(b.getText().trim()) && b.isDisplayed() && b.isEnabled()).findFirst()
        .orElse(null)).click();
  }

  /**
   * Opens the restore screen's search panel. The file tree opens its folders one at a time and moves
   * the "Search" button below it down as it grows, so a click computed before a move can land on a
   * tree row: this waits until the tree is ready, then clicks "Search" until the panel's pattern
   * field is shown.
   */
  void openSearch() {
    find("[data-tree][data-ready]");
    await("the search panel", d -> {
      if (d.findElements(By.cssSelector("input[name=pattern]")).stream().anyMatch(WebElement::isDisplayed)) {
        return true;
      }
      d.findElements(By.tagName("button")).stream()
          .filter(b -> "Search".equals(b.getText().trim()) && b.isDisplayed() && b.isEnabled()).findFirst()
          .ifPresent(b -> {
            try {
              b.click();
            } catch (org.openqa.selenium.ElementClickInterceptedException e) {
              // the page moved under the pointer: the next round tries again
            }
          });
      return null;
    });
  }

  /** Clicks the link whose text (its first line, for links with a description below) is {@code text}. */
  void clickLink(String text) {
    await("a link \"" + text + "\"", d -> d.findElements(By.tagName("a")).stream()
        .filter(a -> a.isDisplayed() && text.equals(a.getText().split("\n", 2)[0].trim())).findFirst().orElse(null))
        .click();
  }

  String text() {
    try {
      return driver.findElement(By.tagName("body")).getText();
    } catch (RuntimeException e) {
      return "(no page: " + e.getMessage() + ")";
    }
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void screenshot(String name) throws IOException {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  /** The browser's console lines so far (errors from the page's scripts, CSP reports, ...). */
  List<String> consoleLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
  }

  /**
   * The page's script errors and CSP violations so far: none is allowed. The API's refusals (a 401
   * before login, a 400 naming a bad field) are answers the console shows, not errors: chromium logs
   * each as "Failed to load resource", and those of {@code /api/} are left out.
   */
  void assertNoScriptErrors() {
    List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .filter(e -> !(e.getMessage().contains("/api/v1/") && e.getMessage().contains("Failed to load resource")))
        .map(LogEntry::toString).toList();
    assertEquals(List.of(), severe, "errors in the browser's console");
  }

  /**
   * Runs axe-core in the page; fails naming each serious or critical violation (rule, impact, the
   * elements).
   */
  void assertAccessible(String screen) throws Exception {
    script(axeSource());
    Object raw = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
            + " e => done(JSON.stringify([{id: 'axe-failed', impact: 'critical', help: String(e), nodes: []}])));");
    JsonArray violations = new JsonArray(String.valueOf(raw));
    String bad = violations.stream().map(JsonObject.class::cast)
        .filter(v -> "serious".equals(v.getString("impact")) || "critical".equals(v.getString("impact")))
        .map(v -> v.getString("id") + " (" + v.getString("impact") + "): " + v.getString("help") + " at "
            + v.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getJsonArray("target").encode())
            .collect(Collectors.joining(", ")))
        .collect(Collectors.joining("\n"));
    assertEquals("", bad, "accessibility violations on the " + screen + " screen");
  }

  private static String axe;

  private static synchronized String axeSource() throws Exception {
    if (axe == null) {
      String env = System.getenv("AXE_CORE_JS");
      Path file = env != null ? Path.of(env) : null;
      if (file == null) {
        AgentProcess.Result r = AgentProcess.shell(30, "npm", "root", "-g");
        file = Path.of(r.out().trim(), "axe-core", "axe.min.js");
      }
      if (!Files.isReadable(file)) {
        String why = "the accessibility check needs axe-core (npm install -g axe-core@4.14.1); not at " + file;
        if ("true".equals(System.getenv("CI"))) {
          fail(why);
        }
        Assumptions.abort(why);
      }
      axe = Files.readString(file, StandardCharsets.UTF_8);
    }
    return axe;
  }

  /** A JUnit extension ({@code @RegisterExtension}) saving the failed screen and console log of a test. */
  static final class OnFailure implements TestWatcher {
    private final java.util.function.Supplier<ConsoleBrowser> browser;

    OnFailure(java.util.function.Supplier<ConsoleBrowser> browser) {
      this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      ConsoleBrowser b = browser.get();
      if (b == null) {
        return;
      }
      String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
      try {
        b.screenshot(name + "-FAILED");
        Files.write(SHOTS.resolve(name + "-console.log"), b.consoleLog(), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        System.err.println("cannot save the failed screen of " + name + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** For assertions on maps of label → value shown in a two-column table. */
  Map<String, String> table(String css) {
    return find(css).findElements(By.tagName("tr")).stream().collect(Collectors.toMap(
        r -> r.findElement(By.tagName("th")).getText(), r -> r.findElement(By.tagName("td")).getText(),
        (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** For assertions on maps of label → value shown in a description list (dt, dd pairs). */
  Map<String, String> pairs(String css) {
    WebElement dl = find(css);
    List<WebElement> terms = dl.findElements(By.tagName("dt"));
    List<WebElement> values = dl.findElements(By.tagName("dd"));
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      out.put(terms.get(i).getText(), values.get(i).getText());
    }
    return out;
  }

  /** The select labelled {@code label}. */
  Select select(String label) {
    return new Select(input(label));
  }

  /** No markup from a name became an element, no dialog opened, no script beyond the console's own. */
  void assertNothingInjected() {
    assertEquals(0L, script("return document.querySelectorAll('img[src=x], main script, main svg[onload]').length;"));
    try {
      String text = driver.switchTo().alert().getText();
      throw new AssertionError("a script ran and opened an alert: " + text);
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  /** Whether the page scrolls sideways (wider than its window). */
  boolean scrollsSideways() {
    return (Long) script("return document.documentElement.scrollWidth;") > (Long) script("return window.innerWidth;");
  }

  /** As {@link #await(String, Function)} with a longer wait (an agent restarting, a job running). */
  <T> T awaitLong(String what, Duration timeout, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, timeout).withMessage(what)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    } catch (RuntimeException e) {
      throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the page shows: " + text(), e);
    }
  }

  /** Opens {@code url}, which asks for a login, logs in with a password alone and waits for {@code heading}. */
  void logIn(String url, String login, String password, String heading) {
    driver.get(url);
    awaitHeading("Log in");
    type("Login name", login);
    type("Password", password);
    click("Log in");
    awaitHeading(heading);
  }
}
