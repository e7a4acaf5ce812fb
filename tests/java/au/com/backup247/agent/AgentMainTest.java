package au.com.backup247.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.backup247.agent.config.AgentConfig;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the entry point hands the verticles from agent.json and the build. */
class AgentMainTest {

  @Test
  void catalogSection_namesTheCatalogFile_andTheBuildsVersion(@TempDir Path dir) {
    JsonObject catalog = AgentMain.section(new AgentHome(dir), AgentConfig.defaults(), "catalog", new JsonObject());
    assertEquals(Version.get(), catalog.getString("version"), "recorded with each run of the agent");
    assertEquals(dir.resolve(AgentConfig.defaults().catalog().file()).toString(), catalog.getString("file"));
  }
}
