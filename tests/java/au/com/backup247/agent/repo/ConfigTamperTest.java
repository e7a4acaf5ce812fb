package au.com.backup247.agent.repo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.local.LocalStore;
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

  /**
   * Issue 11, item 11: Argon2 parameters come from storage, before the MAC: capped well below 4 GiB /
   * 1000 passes. The refusal is {@code Kdf.argon2id}'s range check, which runs before it builds the
   * Argon2 generator (the only one of the repository code): seeing it proves no key was derived with
   * the forged parameters, without timing the open (a busy machine makes any limit on it guesswork).
   */
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
      RepoException e = assertThrows(RepoException.class, () -> RepoFixture.open(copy));
      String name = f[0].substring("key.kdf.".length()).replace("memoryKiB", "memory");
      assertTrue(e.getMessage().contains("Argon2id " + name + " must be ") && e.getMessage().contains("got " + f[1]),
          e.getMessage());
    }
  }

  /** A repository without encryption, with the same set id as the fixture's. */
  static Path unencrypted(Path dir) {
    Repository.init(new LocalStore(dir), RepoFixture.options(
        au.com.backup247.agent.repo.crypto.CipherSuite.NONE, au.com.backup247.agent.repo.compress.CompressionSetting.NONE),
        null).close();
    return dir.resolve("config");
  }

  /**
   * Issue 11, item 1 (cipher downgrade): the config replaced by one that says cipher none, whose MAC
   * anyone can compute, with jobs/ and index/ deleted. A key was given, so the repository must be
   * encrypted: refused naming the mismatch (before: opened, and the next backup went out in clear).
   */
  @Test
  void configReplacedWithAnUnencryptedOne_isRefused_whenAKeyIsGiven(@TempDir Path dir) throws Exception {
    Path repoDir = dir.resolve("repo");
    RepoFixture.init(repoDir).close();
    Files.copy(unencrypted(dir.resolve("forged")), repoDir.resolve("config"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    RepoException e = assertThrows(RepoException.class, () -> RepoFixture.open(repoDir));
    assertTrue(e.getMessage().contains("refusing repository") && e.getMessage().contains("cipher none (no "
        + "encryption), but a key was given"), e.getMessage());
  }

  /** What the opener recorded (the agent: set id, cipher, key type, format, master key) must match. */
  @Test
  void expectation_namesEachMismatch(@TempDir Path dir) throws Exception {
    Path repoDir = dir.resolve("repo");
    String keyId;
    try (Repository r = RepoFixture.init(repoDir)) {
      keyId = r.masterKey().fingerprint();
    }
    LocalStore store = new LocalStore(repoDir);
    String[][] cases = {
        {"set id 1700000000000, expected 42"}, {"cipher aes-256-gcm, expected aes-128-gcm"},
        {"key type password, expected custom"}, {"format 1, expected 2"}, {"is not the one recorded for it"}};
    Repository.Expectation[] wrong = {
        new Repository.Expectation("42", null, true, null, null, null),
        new Repository.Expectation(null, au.com.backup247.agent.repo.crypto.CipherSuite.AES_128_GCM, true, null, null,
            null),
        new Repository.Expectation(null, null, true, au.com.backup247.agent.repo.crypto.KeyType.CUSTOM, null, null),
        new Repository.Expectation(null, null, true, null, 2, null),
        new Repository.Expectation(null, null, true, null, null, "00" + keyId.substring(2))};
    for (int i = 0; i < wrong.length; i++) {
      Repository.Expectation x = wrong[i];
      RepoException e = assertThrows(RepoException.class, () -> Repository.open(store, RepoFixture.PASSWORD, x));
      assertTrue(e.getMessage().contains(cases[i][0]), e.getMessage());
    }
    Repository.open(store, RepoFixture.PASSWORD, new Repository.Expectation("1700000000000",
        au.com.backup247.agent.repo.crypto.CipherSuite.AES_256_GCM, true,
        au.com.backup247.agent.repo.crypto.KeyType.PASSWORD, 1, keyId)).close();
  }
}
