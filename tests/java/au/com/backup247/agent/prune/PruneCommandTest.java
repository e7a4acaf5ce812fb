package au.com.backup247.agent.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code b247 repo prune} in-process on a real repository: dry run, prune, check, and bad input. */
class PruneCommandTest {
  private static CliRun.Result b247(String... args) {
    return CliRun.b247(args);
  }

  @Test
  void dryRunThenPruneThenCheck(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD + "\n");
    String repo = f.repoDir.toString();
    Map<String, byte[]> before = PruneTest.contents(f.repoDir);

    CliRun.Result dry = b247("repo", "prune", "--repo", repo, "--key-file", key.toString(), "--keep-jobs", "2",
        "--dry-run");
    assertEquals(0, dry.exit(), dry.err());
    assertTrue(dry.out().contains("would remove " + f.src.resolve("0-big.bin").toAbsolutePath()), dry.out());
    assertTrue(dry.out().contains("not within the last 2 jobs"), dry.out());
    PruneTest.assertSameContents(before, PruneTest.contents(f.repoDir));

    CliRun.Result run = b247("repo", "prune", "--repo", repo, "--key-file", key.toString(), "--keep-jobs", "2");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().matches("(?s).*removed \\d+ version\\(s\\).*deleted [1-9]\\d* block\\(s\\).*"), run.out());
    long sizeBefore = before.values().stream().mapToLong(b -> b.length).sum();
    assertTrue(sizeBefore - PruneFixture.size(f.repoDir) > 3 << 20, "space was freed");

    CliRun.Result check = b247("repo", "check", "--repo", repo, "--key-file", key.toString(), "--read-data");
    assertEquals(0, check.exit(), check.out() + check.err());
    assertTrue(check.out().contains("no problems"), check.out());
  }

  @Test
  void badInput_isAClearErrorNamingTheOption(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    RepoFixture.init(repo).close();
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD);
    CliRun.Result none = b247("repo", "prune", "--repo", repo.toString(), "--key-file", key.toString());
    assertEquals(2, none.exit());
    assertTrue(none.err().contains("exactly one of --policy FILE, --keep-days N, --keep-jobs N"), none.err());
    CliRun.Result zero = b247("repo", "prune", "--repo", repo.toString(), "--key-file", key.toString(),
        "--keep-days", "0");
    assertEquals(2, zero.exit());
    assertTrue(zero.err().contains("--keep-days must be 1..365, got 0"), zero.err());
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"type\": \"simple\", \"keepDays\": 400}");
    CliRun.Result bad = b247("repo", "prune", "--repo", repo.toString(), "--key-file", key.toString(), "--policy",
        policy.toString());
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("policy file " + policy) && bad.err().contains("keepDays"), bad.err());
    Files.writeString(policy, "{not json");
    CliRun.Result garbled = b247("repo", "prune", "--repo", repo.toString(), "--key-file", key.toString(), "--policy",
        policy.toString());
    assertEquals(2, garbled.exit());
    assertTrue(garbled.err().contains("is not a JSON object"), garbled.err());
    assertTrue(!garbled.err().contains("Exception"), garbled.err());
  }
}
