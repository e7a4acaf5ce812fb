package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A set's destinations are tested when it is saved: a real agent process and a real SFTP server
 * (MINA SSHD in this JVM, over loopback) whose host key nobody knows yet. Without a terminal the
 * CLI says what is missing and prints the command that fixes it (with the key's fingerprint);
 * on a terminal ({@link Terminal}) it asks for the password and whether
 * to trust the key, and the set then backs up.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DestinationTrustIT {

  /** {@code b247 args...} with {@code input} as its standard input (no terminal). */
  private static AgentProcess.Result withInput(Path home, String input, String... args) throws Exception {
    Path in = Files.writeString(home.resolveSibling("stdin-" + System.nanoTime()), input);
    List<String> cmd = AgentProcess.command(home, args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(in.toFile());
    Path out = home.resolveSibling("out-" + System.nanoTime());
    Path err = home.resolveSibling("err-" + System.nanoTime());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "b247 " + String.join(" ", args) + " did not finish");
    return new AgentProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void unknownHostKey_isShownWithItsFingerprint_andTrustedByCommandOrAnswer(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("letters"));
    Files.writeString(src.resolve("letters/to-ann.txt"), "Dear Ann,\n");
    Files.writeString(src.resolve("notes.txt"), "milk, eggs\n");
    Path served = Files.createDirectories(dir.resolve("sftp-root"));
    KeyPair hostKey = SshPeers.ed25519();
    String fingerprint = SftpStore.fingerprint(hostKey.getPublic());
    SshServer sftp = SshPeers.mina(0, served, hostKey, null);
    Path home = dir.resolve("home");
    try (RunningAgent agent = RunningAgent.start(home, AgentProcess.freePort(), "agent")) {
      String url = "sftp://" + SshPeers.USER + "@127.0.0.1:" + sftp.getPort() + "/b247";

      // no terminal: the set is saved, the test says what is missing and how to fix it
      AgentProcess.Result created = agent.b247("set", "create", "--name", "nas", "--source", src.toString(),
          "--dest", url);
      assertEquals(1, created.exit(), created.all());
      assertTrue(created.out().startsWith("created backup set \"nas\" (id "), created.all());
      assertTrue(created.out().contains("destination SFTP-1: the test failed: "), created.all());
      assertTrue(created.out().contains("  store its password: b247 set credentials nas --destination SFTP-1 "
          + "--password"), created.all());
      assertTrue(created.out().contains("the set is saved, but a destination does not work yet"), created.all());

      AgentProcess.Result password = withInput(home, SshPeers.PASSWORD + "\n", "set", "credentials", "nas",
          "--password");
      assertEquals(1, password.exit(), password.all());
      assertTrue(password.out().contains("stored the password of destination \"SFTP-1\""), password.all());
      assertTrue(password.out().contains("  the server 127.0.0.1:" + sftp.getPort() + " shows the host key ssh-ed25519 "
          + fingerprint + ", which is not known"), password.all());
      assertTrue(password.out().contains("trust it: b247 set credentials nas --destination SFTP-1 --trust-host-key "
          + fingerprint), password.all());

      String trusted = agent.ok("set", "credentials", "nas", "--trust-host-key", fingerprint);
      assertTrue(trusted.contains("stored the host key of destination \"SFTP-1\""), trusted);
      assertTrue(trusted.contains("destination SFTP-1: tested, it works"), trusted);
      assertTrue(agent.ok("backup", "nas", "--wait").contains("SFTP-1: Completed (report"));
      String shown = agent.ok("set", "show", "nas");
      assertFalse(shown.contains(SshPeers.PASSWORD), "the password is never shown");

      // on a terminal: the same questions are asked, the answers stored, the destination tested again
      AgentProcess.Result asked = Terminal.run(home, SshPeers.PASSWORD + "\ny\n", "set", "create", "--name", "nas2",
          "--source", src.toString(), "--dest", url);
      assertEquals(0, asked.exit(), asked.out());
      assertTrue(asked.out().contains("Password of " + url), asked.out());
      assertTrue(asked.out().contains("shows the host key ssh-ed25519 " + fingerprint + ", which is not known"),
          asked.out());
      assertTrue(asked.out().contains("Trust it [y/N]"), asked.out());
      assertTrue(asked.out().contains("destination SFTP-1: tested, it works"), asked.out());
      assertTrue(agent.ok("backup", "nas2", "--wait").contains("SFTP-1: Completed (report"));
    } finally {
      sftp.stop(true);
    }
  }
}
