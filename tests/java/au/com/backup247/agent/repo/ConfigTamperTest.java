package au.com.backup247.agent.repo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.store.LocalStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository's {@code config} as whoever controls the storage may rewrite it (issue 11): what is
 * read before the config MAC can be checked is bounded, and what the set recorded is enforced.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigTamperTest {

  static void rewrite(Path repoDir, String key, String value) throws Exception {
    Path config = repoDir.resolve("config");
    Props p = Props.parse(Files.readString(config, StandardCharsets.UTF_8), "config");
    p.put(key, value);
    Files.writeString(config, p.text(), StandardCharsets.UTF_8);
  }

  static void copyTree(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new AssertionError("cp -a " + from + " " + to + " failed");
    }
  }

  /** Issue 11, item 11: Argon2 parameters come from storage, before the MAC: capped well below 4 GiB / 1000 passes. */
  @Test
  void argon2Parameters_fromStorage_areCappedBeforeAnyKeyDerivation(@TempDir Path dir) throws Exception {
    Path repoDir = dir.resolve("repo");
    RepoFixture.init(repoDir).close();
    String[][] forged = {{"key.kdf.iterations", "1000"}, {"key.kdf.memoryKiB", Integer.toString(300 * 1024)},
        {"key.kdf.parallelism", "64"}};
    for (String[] f : forged) {
      Path copy = dir.resolve("copy-" + f[0]);
      copyTree(repoDir, copy);
      rewrite(copy, f[0], f[1]);
      long t0 = System.nanoTime();
      RepoException e = assertThrows(RepoException.class, () -> RepoFixture.open(copy));
      String name = f[0].substring("key.kdf.".length()).replace("memoryKiB", "memory");
      assertTrue(e.getMessage().contains("Argon2id " + name) && e.getMessage().contains(f[1]), e.getMessage());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000, "refused only after deriving a key");
    }
  }
}
