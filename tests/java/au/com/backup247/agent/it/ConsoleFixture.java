package au.com.backup247.agent.it;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The agent and the headless browser a console IT class shares among its tests. Register it as a
 * static {@code @RegisterExtension} field, then {@link #start} the agent and {@link #openBrowser} in
 * the class's {@code @BeforeAll}; after the class it closes the browser, the agent and whatever
 * {@link #closeAfter} was given (last given, first closed), and when a test fails it saves its
 * screen and the browser's console log ({@link ConsoleBrowser.OnFailure}).
 */
final class ConsoleFixture implements AfterAllCallback, TestWatcher {
  /** The password of the accounts the console tests make. */
  static final String PASSWORD = "purple elephant marmalade 42";

  private final ConsoleBrowser.OnFailure onFailure = new ConsoleBrowser.OnFailure(() -> this.browser);
  private final Deque<AutoCloseable> others = new ArrayDeque<>();
  private RunningAgent agent;
  private ConsoleBrowser browser;

  /** Starts an agent on {@code home} at a free port. */
  RunningAgent start(Path home) throws Exception {
    return start(home, AgentProcess.freePort());
  }

  /** Starts an agent on {@code home} (whose agent.json may already name {@code port}). */
  RunningAgent start(Path home, int port) throws Exception {
    agent = RunningAgent.start(home, port, "agent");
    return agent;
  }

  /** The console's address, {@code http://127.0.0.1:PORT}. */
  String base() {
    return "http://127.0.0.1:" + agent.port;
  }

  /** Makes the account {@code admin}, an administrator with {@link #PASSWORD}, through the API. */
  void createAdmin() throws Exception {
    agent.send("POST", "users", new JsonObject().put("login", "admin").put("role", "admin").put("password", PASSWORD),
        201);
  }

  /** Opens the browser at 1280 × 900. */
  ConsoleBrowser openBrowser() throws Exception {
    browser = ConsoleBrowser.open(1280, 900);
    return browser;
  }

  /** Closes {@code c} after the class, before what was given earlier. */
  <T extends AutoCloseable> T closeAfter(T c) {
    others.push(c);
    return c;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    onFailure.testFailed(context, cause);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Deque<AutoCloseable> all = new ArrayDeque<>(others);
    if (agent != null) {
      all.push(agent);
    }
    if (browser != null) {
      all.push(browser);
    }
    Exception first = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
