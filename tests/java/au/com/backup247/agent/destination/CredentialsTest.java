package au.com.backup247.agent.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {
  static final Map<String, String> NO_ENV = Map.of();

  static Path file(Path dir, String mode, String text) throws IOException {
    Path f = dir.resolve("creds-" + mode);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void readsEveryKey(@TempDir Path dir) throws IOException {
    Path f = file(dir, "rw-------", """
        password=pa ss=word
        identity-file=keys/id_backup
        identity-passphrase=phrase
        known-hosts=~/hosts
        host-key-fingerprint=SHA256:abc
        access-key=AKIA1
        secret-key=s3cr3t
        connection-string=DefaultEndpointsProtocol=http;AccountKey=xyz
        certificate-fingerprint=AB:CD
        """);
    Credentials c = Credentials.load(f, NO_ENV, dir.resolve("home"));
    assertEquals(Optional.of("pa ss=word"), c.password());
    assertEquals(Optional.of(dir.resolve("keys/id_backup")), c.identityFile(), "relative to the file's folder");
    assertEquals(Optional.of("phrase"), c.identityPassphrase());
    assertEquals(Optional.of(dir.resolve("home/hosts")), c.knownHosts(), "~ is the home folder");
    assertEquals(Optional.of("SHA256:abc"), c.hostKeyFingerprint());
    assertEquals(Optional.of("AKIA1"), c.accessKey());
    assertEquals(Optional.of("s3cr3t"), c.secretKey());
    assertEquals(Optional.of("DefaultEndpointsProtocol=http;AccountKey=xyz"), c.connectionString());
    assertEquals(Optional.of("AB:CD"), c.certificateFingerprint());
    assertEquals(Optional.of(f), c.file());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw--w----", "rw-----w-", "rw----r--", "rw-rw-rw-"})
  void fileReadableOrWritableByOthers_isRefused_withChmod600(String mode, @TempDir Path dir) throws IOException {
    Path f = file(dir, mode, "password=x\n");
    DestinationException e = assertThrows(DestinationException.class, () -> Credentials.load(f, NO_ENV, dir));
    assertTrue(e.getMessage().contains("chmod 600 " + f), e.getMessage());
    assertTrue(e.getMessage().contains(mode), e.getMessage());
    assertFalse(e.getMessage().contains("password=x"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "r--------", "rwx------"})
  void privateFile_isAccepted(String mode, @TempDir Path dir) throws IOException {
    Path f = file(dir, mode, "password=x\n");
    assertEquals(Optional.of("x"), Credentials.load(f, NO_ENV, dir).password());
  }

  @Test
  void missingFile_unknownKey_emptyValue_andHalfAKeyPair_areRefused(@TempDir Path dir) throws IOException {
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(dir.resolve("nope"), NO_ENV, dir))
        .getMessage().contains("does not exist"));
    Path typo = file(dir, "rw-------", "pasword=x\n");
    String m = assertThrows(DestinationException.class, () -> Credentials.load(typo, NO_ENV, dir)).getMessage();
    assertTrue(m.contains("unknown key \"pasword\""), m);
    assertFalse(m.contains("=x"), m);
    Path empty = file(dir, "r--------", "password=\n");
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(empty, NO_ENV, dir)).getMessage()
        .contains("password is empty"));
    Path half = file(dir, "rwx------", "access-key=AKIA\n");
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(half, NO_ENV, dir)).getMessage()
        .contains("access-key but no secret-key"));
    Files.delete(empty);
    Path fp = file(dir, "r--------", "host-key-fingerprint=MD5:aa:bb\n");
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(fp, NO_ENV, dir)).getMessage()
        .contains("SHA256:"));
  }

  @Test
  void folderInsteadOfFile_isRefused(@TempDir Path dir) throws IOException {
    Path d = Files.createDirectory(dir.resolve("d"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(d, NO_ENV, dir)).getMessage()
        .contains("not a regular file"));
  }

  @Test
  void environment_fillsInWhatTheFileDoesNotGive(@TempDir Path dir) throws IOException {
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY", "envsecret",
        "AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;AccountKey=envkey");
    Credentials none = Credentials.load(null, env, dir);
    assertEquals(Optional.of("AKIAENV"), none.accessKey());
    assertEquals(Optional.of("envsecret"), none.secretKey());
    assertEquals(Optional.of("AccountName=a;AccountKey=envkey"), none.connectionString());

    Path f = file(dir, "rw-------", "access-key=AKIAFILE\nsecret-key=filesecret\nconnection-string=cs\n");
    Credentials both = Credentials.load(f, env, dir);
    assertEquals(Optional.of("AKIAFILE"), both.accessKey(), "the file wins");
    assertEquals(Optional.of("filesecret"), both.secretKey());
    assertEquals(Optional.of("cs"), both.connectionString());
  }

  @Test
  void azureAccountKeyAndProxyLogin(@TempDir Path dir) throws IOException {
    Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;AccountKey=envkey");
    Path f = file(dir, "rw-------", "account-key= a2V5 \nproxy-username=pu\nproxy-password=p p\n");
    Credentials c = Credentials.load(f, env, dir);
    assertEquals(Optional.of("a2V5"), c.accountKey());
    assertEquals(Optional.empty(), c.connectionString(), "the file's account key wins over the environment");
    assertEquals(Optional.of("pu"), c.proxyUsername());
    assertEquals(Optional.of("p p"), c.proxyPassword());
    assertFalse(c.toString().contains("a2V5") || c.toString().contains("p p"), c.toString());
    assertTrue(c.toString().contains("account-key, proxy-username, proxy-password"), c.toString());

    Path both = file(dir, "r--------", "account-key=k\nconnection-string=AccountKey=k\n");
    assertTrue(assertThrows(DestinationException.class, () -> Credentials.load(both, NO_ENV, dir)).getMessage()
        .contains("both connection-string and account-key"));
    Path pwOnly = file(dir, "rwx------", "proxy-password=secret9\n");
    String m = assertThrows(DestinationException.class, () -> Credentials.load(pwOnly, NO_ENV, dir)).getMessage();
    assertTrue(m.contains("proxy-password but no proxy-username"), m);
    assertFalse(m.contains("secret9"), m);
  }

  @Test
  void halfAnAwsPairInTheEnvironment_isIgnored(@TempDir Path dir) {
    Credentials c = Credentials.load(null, Map.of("AWS_ACCESS_KEY_ID", "AKIA"), dir);
    assertEquals(Optional.empty(), c.accessKey());
    assertEquals(Optional.empty(), c.secretKey());
  }

  @Test
  void toString_neverShowsASecret(@TempDir Path dir) throws IOException {
    Path f = file(dir, "rw-------", "password=hunter2\nidentity-file=k\nidentity-passphrase=phrase22\n"
        + "secret-key=wJalrXUtnFEMI\naccess-key=AKIAFILE\nconnection-string=AccountKey=c2VjcmV0\n");
    Credentials c = Credentials.load(f, Map.of("AWS_SECRET_ACCESS_KEY", "envsecret"), dir);
    String s = c.toString();
    for (String secret : new String[] {"hunter2", "phrase22", "wJalrXUtnFEMI", "AKIAFILE", "c2VjcmV0"}) {
      assertFalse(s.contains(secret), s);
    }
    assertTrue(s.contains("password") && s.contains("secret-key") && s.contains(f.toString()), s);
    String env = Credentials.load(null, Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY",
        "envsecret"), dir).toString();
    assertFalse(env.contains("AKIAENV") || env.contains("envsecret"), env);
    assertTrue(env.contains("AWS_SECRET_ACCESS_KEY"), env);
  }

  @Test
  void ssh_followsOpenSshDefaults(@TempDir Path home) throws IOException {
    Path ssh = Files.createDirectories(home.resolve(".ssh"));
    Credentials none = Credentials.load(null, NO_ENV, home);
    assertEquals(Optional.empty(), none.sshIdentity(), "no key yet");
    assertEquals(ssh.resolve("known_hosts"), none.sshKnownHosts());

    Files.writeString(ssh.resolve("id_rsa"), "k");
    assertEquals(Optional.of(ssh.resolve("id_rsa")), none.sshIdentity());
    Files.writeString(ssh.resolve("id_ecdsa"), "k");
    assertEquals(Optional.of(ssh.resolve("id_ecdsa")), none.sshIdentity(), "ecdsa before rsa");
    Files.writeString(ssh.resolve("id_ed25519"), "k");
    assertEquals(Optional.of(ssh.resolve("id_ed25519")), none.sshIdentity(), "ed25519 first");

    Path pw = file(home, "rw-------", "password=x\n");
    assertEquals(Optional.empty(), Credentials.load(pw, NO_ENV, home).sshIdentity(),
        "no default key next to a password");
    Path key = file(home, "r--------", "identity-file=/keys/mine\nknown-hosts=/etc/ssh/known\n");
    Credentials given = Credentials.load(key, NO_ENV, home);
    assertEquals(Optional.of(Path.of("/keys/mine")), given.sshIdentity());
    assertEquals(Path.of("/etc/ssh/known"), given.sshKnownHosts());
  }
}
