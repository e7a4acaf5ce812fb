package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, symbolic links: {@code set create} says which behaviour applies (followed by default, as
 * in the guide); a set that stores links shows them as {@code symlink NAME -> TARGET} in browse and
 * search, and a set that follows them backs up (and shows as a file) what they point to.
 */
class SymbolicLinksTest extends WithCliAgent {
  @BeforeAll
  static void sources() throws Exception {
    Files.writeString(src.resolve("real.txt"), "real");
    Path outside = Files.writeString(dir.resolve("outside.txt"), "outside the set");
    Files.createSymbolicLink(src.resolve("link.txt"), outside);
  }

  static String create(String name, Boolean follow) throws Exception {
    JsonObject set = set(name, dir.resolve("d-" + name), src);
    if (follow != null) {
      set.put("others", new JsonObject().put("followLinks", follow));
    }
    Path file = Files.writeString(dir.resolve(name + ".json"), set.encode());
    return agent.ok("set", "create", "--file", file.toString());
  }

  @Test
  void aSetFollowsLinksByDefault_andSaysSo() throws Exception {
    String out = create("Followed", null);
    assertTrue(out.contains("symbolic links: followed"), out);
    String id = CliAgent.group(out, "\\(id ([0-9]+)\\)");
    CliRun.Result b = agent.b247("backup", id, "--wait");
    String browse = agent.ok("browse", id, "--path", src.toString());
    assertEquals(0, b.exit(), b.all()); // the link's file is read, not "replaced by a symlink; skipped"
    assertTrue(browse.lines().anyMatch(l -> l.matches("\\s+file .* link\\.txt")), browse);
  }

  @Test
  void aSetThatStoresLinks_saysSo_andBrowseAndSearchLabelThemAsLinks() throws Exception {
    String out = create("Stored", false);
    assertTrue(out.contains("symbolic links: stored as links"), out);
    String id = CliAgent.group(out, "\\(id ([0-9]+)\\)");
    agent.b247("backup", id, "--wait");
    String browse = agent.ok("browse", id, "--path", src.toString());
    assertTrue(browse.lines().anyMatch(l -> l.matches("\\s+symlink .* link\\.txt -> " + java.util.regex.Pattern.quote(dir.resolve("outside.txt").toString()))), browse);
    String search = agent.ok("search", id, "link");
    assertTrue(search.lines().anyMatch(l -> l.startsWith("symlink ") && l.contains("link.txt")), search);
  }
}
