package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of CLI test classes that share one agent: a temp folder {@code dir}, an agent on
 * {@code dir/home} ({@link CliAgent}) and an empty source folder {@code src} ({@code dir/src/docs})
 * the class fills in its own {@code @BeforeAll}. The fields are static because the agent lives as
 * long as the class; test classes run one after the other, so each class has them to itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class WithCliAgent {
  @TempDir
  static Path dir;
  static CliAgent agent;
  static Path src;

  @BeforeAll
  static void startAgent() throws Exception {
    agent = new CliAgent(dir.resolve("home"));
    src = Files.createDirectories(dir.resolve("src/docs"));
  }

  @AfterAll
  static void stopAgent() {
    agent.close();
  }

  /** A set named {@code name} of {@code sources} with one destination, {@code Local-1}, the folder {@code dest}. */
  static JsonObject set(String name, Path dest, Path... sources) {
    JsonArray paths = new JsonArray();
    for (Path p : sources) {
      paths.add(p.toString());
    }
    return new JsonObject().put("name", name).put("source", new JsonObject().put("home", dir.toString())
        .put("paths", paths)).put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
        .put("url", "file://" + dest)));
  }
}
