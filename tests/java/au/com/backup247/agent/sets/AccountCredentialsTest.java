package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.destination.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account's set logs in only with what is stored for it: never with the agent user's ~/.ssh
 * keys, its known_hosts or its AWS/Azure environment (which would let a user reach any host the
 * agent's user can); the admins' sets keep those defaults.
 */
class AccountCredentialsTest {

  @Test
  void anAccountsSet_getsNothingFromTheAgentsUser(@TempDir Path dir) throws Exception {
    SetCredentials stored = new SetCredentials(dir.resolve("credentials"));
    Credentials mine = stored.load(42, "Office", false);
    assertTrue(mine.sshIdentity().isEmpty(), "no default ~/.ssh key");
    assertFalse(mine.sshKnownHosts().startsWith(Path.of(System.getProperty("user.home"))), "no agent known_hosts");
    assertTrue(mine.accessKey().isEmpty() && mine.connectionString().isEmpty(), "no AWS_* / AZURE_* variables");

    stored.store(42, "Office", Map.of("password", "stored-for-the-set"));
    assertEquals("stored-for-the-set", stored.load(42, "Office", false).password().orElseThrow());
    assertTrue(Files.exists(stored.file(42, "Office")));
  }

  @Test
  void onlyTheAdminsSets_useTheAgentsOwnCredentials() {
    SetSettings s = SetJson.decodeCreate(SetFixtures.minimal("S"), SetFixtures.DEFAULTS).value().orElseThrow()
        .settings();
    assertTrue(new BackupSet(1, 0, 0, s).usesAgentCredentials());
    assertFalse(new BackupSet(1, 0, 0, s, 7L).usesAgentCredentials());
  }
}
