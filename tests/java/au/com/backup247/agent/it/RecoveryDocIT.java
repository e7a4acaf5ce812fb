package au.com.backup247.agent.it;

import static au.com.backup247.agent.it.RepoCliIT.assertIdentical;
import static au.com.backup247.agent.it.RepoCliIT.privateFile;
import static au.com.backup247.agent.it.RepoCliIT.restored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.FtpPeers;
import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/RECOVERY.md, followed literally. A real agent backs up a set to a local folder, an SFTP
 * server (Apache MINA SSHD), an FTP server (Apache FtpServer), an S3 server (s3proxy) and Azure
 * Blob Storage (Azurite), all on loopback, beside a second set on the same local folder; the set's key is exported with {@code b247 set key}; then the agent and its
 * home are gone. Each block of the page marked {@code <!-- recovery-test: KIND -->} is run by bash
 * as it is written, with only the values it assigns at its top ({@code NAME=value} lines, shell
 * variables and credentials-file keys) replaced by this test's, and {@code b247} on the PATH being
 * the packaged agent. The restored files must equal the source byte for byte. A block that is
 * missing, a value the page no longer assigns, or a command that fails, fails the test.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RecoveryDocIT {
  static final Path DOC = Path.of("docs/RECOVERY.md");
  static final String SFTP_PASSWORD = "sftp-Pa55-word-recovery";

  /** The shell block the page marks with {@code <!-- recovery-test: kind -->}. */
  static String block(String doc, String kind) {
    Matcher m = Pattern.compile("<!-- recovery-test: " + Pattern.quote(kind) + " -->\\n```sh\\n(.*?)```",
        Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "docs/RECOVERY.md has no block marked recovery-test: " + kind);
    return m.group(1);
  }

  /**
   * {@code block} with each line {@code NAME=value} whose NAME is in {@code values} given that
   * value instead (single-quoted for shell variables, raw in a credentials file); every NAME must
   * be assigned by the block.
   */
  static String substitute(String block, Map<String, String> values) {
    Set<String> used = new HashSet<>();
    StringBuilder out = new StringBuilder();
    Pattern assignment = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)=.*$");
    for (String line : block.split("\n", -1)) {
      Matcher m = assignment.matcher(line);
      if (m.matches() && values.containsKey(m.group(1))) {
        String name = m.group(1);
        used.add(name);
        String v = values.get(name);
        line = name + "=" + (name.equals(name.toUpperCase()) ? "'" + v.replace("'", "'\\''") + "'" : v);
      }
      out.append(line).append('\n');
    }
    assertEquals(values.keySet(), used, "the values the page's block assigns");
    return out.toString();
  }

  /** Runs {@code script} with bash -eu in {@code dir}, {@code b247} on the PATH being the packaged agent. */
  static AgentProcess.Result run(Path dir, Path bin, String script) throws Exception {
    Path file = dir.resolve("steps.sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("bash", "-eu", file.toString()).directory(dir.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("HOME", dir.toString());
    Path out = dir.resolve("steps.out");
    Path err = dir.resolve("steps.err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the steps did not finish:\n" + script);
    }
    return new AgentProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
    return m.group(1);
  }

  private static JsonObject destination(String name, String url) {
    return new JsonObject().put("name", name).put("url", url);
  }

  private static JsonObject set(String name, Path src, JsonArray destinations) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", destinations).put("others", new JsonObject().put("followLinks", false));
  }

  @Test
  void theRecoveryPage_restoresFromEveryKindOfDestination(@TempDir Path dir) throws Exception {
    String doc = Files.readString(DOC);
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 21);
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(photos.resolve("p.txt"), "a photo");
    Path usb = dir.resolve("usb");
    Path sftpRoot = Files.createDirectories(dir.resolve("sftp-root/backups"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair hostKey = g.generateKeyPair();
    SshServer sftp = RepoCliIT.sftpServer(dir.resolve("sftp-root"), hostKey, "backup", SFTP_PASSWORD);
    S3Peers.Peer s3 = S3Peers.start();
    FtpPeers.Peer ftp = FtpPeers.start(Files.createDirectories(dir.resolve("ftp-root")));
    AzuritePeer azure = AzuritePeer.shared();
    try {
      s3.createBucket("backups");
      String sftpUrl = "sftp://backup@127.0.0.1:" + sftp.getPort() + "/backups";
      String s3Url = "s3://backups/office-pc?endpoint=" + s3.endpoint() + "&region=us-east-1";
      String ftpUrl = "ftp://" + FtpPeers.USER + "@127.0.0.1:" + ftp.port() + "/backups";
      String azureUrl = "azure://" + AzuritePeer.ACCOUNT + "/backups/office-pc?endpoint=" + azure.endpoint;
      String fingerprint = SftpStore.fingerprint(hostKey.getPublic());
      Path key = dir.resolve("Documents.key");

      // before: the agent backs the set up, and its key was exported
      try (RunningAgent agent = RunningAgent.start(dir.resolve("agent-home"), AgentProcess.freePort(), "agent")) {
        Path setFile = dir.resolve("set.json");
        Files.writeString(setFile, set("Documents", src, new JsonArray().add(destination("USB", "file://" + usb))
            .add(destination("NAS", sftpUrl)).add(destination("Cloud", s3Url)).add(destination("FTP", ftpUrl))
            .add(destination("Azure", azureUrl))).encode());
        // tested once its credentials are stored
        String id = group(agent.ok("set", "create", "--no-test", "--file", setFile.toString()), "\\(id ([0-9]+)\\)");
        Path nas = privateFile(dir.resolve("nas.properties"), "password=" + SFTP_PASSWORD
            + "\nhost-key-fingerprint=" + fingerprint + "\n");
        agent.ok("set", "credentials", id, "--destination", "NAS", "--file", nas.toString());
        Path cloud = privateFile(dir.resolve("cloud.properties"), "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key="
            + S3Peers.SECRET_KEY + "\n");
        agent.ok("set", "credentials", id, "--destination", "Cloud", "--file", cloud.toString());
        Path ftpCreds = privateFile(dir.resolve("ftp.properties"), "password=" + FtpPeers.PASSWORD + "\n");
        agent.ok("set", "credentials", id, "--destination", "FTP", "--file", ftpCreds.toString());
        Path azureCreds = privateFile(dir.resolve("azure.properties"), "account-key=" + AzuritePeer.KEY + "\n");
        agent.ok("set", "credentials", id, "--destination", "Azure", "--file", azureCreds.toString());
        Files.writeString(setFile, set("Photos", photos, new JsonArray().add(destination("USB", "file://" + usb)))
            .encode());
        agent.ok("set", "create", "--file", setFile.toString());
        for (String name : List.of("Documents", "Photos")) {
          String backup = agent.ok("backup", name, "--wait");
          assertTrue(!backup.contains("Failed") && backup.contains("Completed"), backup);
        }
        Files.writeString(key, agent.ok("set", "key", "Documents")); // b247 set key SET > SET.key
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      }
      AgentProcess.shell(60, "rm", "-rf", dir.resolve("agent-home").toString()); // the machine died

      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path b247 = bin.resolve("b247");
      StringBuilder exec = new StringBuilder("#!/bin/sh\nexec");
      for (String word : AgentProcess.javaJar()) {
        exec.append(" '").append(word.equals(AgentProcess.JAR) ? Path.of(word).toAbsolutePath() : word).append('\'');
      }
      Files.writeString(b247, exec.append(" \"$@\"\n"));
      Files.setPosixFilePermissions(b247, PosixFilePermissions.fromString("rwx------"));

      Map<String, Map<String, String>> cases = new LinkedHashMap<>();
      cases.put("local", Map.of("DEST", usb.toString()));
      cases.put("sftp", Map.of("DEST", sftpUrl, "password", SFTP_PASSWORD, "host-key-fingerprint", fingerprint));
      cases.put("ftp", Map.of("DEST", ftpUrl, "password", FtpPeers.PASSWORD));
      cases.put("s3", Map.of("DEST", s3Url, "access-key", S3Peers.ACCESS_KEY, "secret-key", S3Peers.SECRET_KEY));
      cases.put("azure", Map.of("DEST", azureUrl, "account-key", AzuritePeer.KEY));
      for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
        Path work = Files.createDirectories(dir.resolve("recover-" + c.getKey()));
        Path target = work.resolve("restored");
        Map<String, String> values = new LinkedHashMap<>(c.getValue());
        values.put("SET", "Documents");
        values.put("KEY", key.toString());
        values.put("TARGET", target.toString());
        AgentProcess.Result r = run(work, bin, substitute(block(doc, c.getKey()), values));
        assertEquals(0, r.exit(), c.getKey() + ":\n" + r.all());
        AgentProcess.assertNoStackTrace(r.all());
        assertIdentical(src, restored(target, src));
        if (c.getKey().equals("local")) { // what the page says repo jobs shows at a destination root
          assertTrue(r.out().contains(usb + " is a destination root with 2 backup sets:"), r.out());
          assertTrue(r.out().contains("Documents") && r.out().contains("Photos"), r.out());
          assertTrue(r.out().contains("no problems"), r.out());
        }
      }
    } finally {
      sftp.stop(true);
      s3.stop();
      ftp.stop();
      azure.close();
    }
  }
}
