package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --credentials} of the commands that take several {@code --repo}: once for all, or once per repo. */
class RepoCredentialsTest {

  private static Path file(Path dir, String name, String password) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, "password=" + password + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void oneFileServesEveryRepo_severalGoInOrder_otherCountsAreRefused(@TempDir Path dir) throws Exception {
    Path a = file(dir, "a", "first");
    Path b = file(dir, "b", "second");
    List<Credentials> one = RepoOptions.credentialsPerRepo(List.of(a), 3);
    assertEquals(3, one.size());
    for (Credentials c : one) {
      assertEquals(Optional.of("first"), c.password());
    }
    List<Credentials> each = RepoOptions.credentialsPerRepo(List.of(a, b), 2);
    assertEquals(List.of(Optional.of("first"), Optional.of("second")),
        each.stream().map(Credentials::password).toList());
    assertEquals(2, RepoOptions.credentialsPerRepo(null, 2).size());

    AgentException e = assertThrows(AgentException.class, () -> RepoOptions.credentialsPerRepo(List.of(a, b), 3));
    assertEquals(Failure.BAD_REQUEST, e.failure());
    assertEquals("give --credentials once for all destinations or once per --repo: got 2 for 3 destinations",
        e.getMessage());
  }
}
