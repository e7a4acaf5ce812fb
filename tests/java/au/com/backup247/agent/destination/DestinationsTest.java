package au.com.backup247.agent.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bandwidth.Mode;
import au.com.backup247.agent.bandwidth.Rate;
import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bandwidth.ThrottledStore;
import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.azure.AzureStore;
import au.com.backup247.agent.repo.store.ftp.FtpStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.repo.store.s3.S3Store;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationsTest {

  static Credentials creds(Path dir, String text) throws IOException {
    Path f = dir.resolve("creds");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return Credentials.load(f, Map.of(), dir.resolve("home"));
  }

  static String error(Runnable r) {
    return assertThrows(DestinationException.class, r::run).getMessage();
  }

  @Test
  void localFolder_isALocalStore_withoutRetries(@TempDir Path dir) {
    Store s = Destinations.open(DestinationUrl.parse(dir.resolve("r").toString()), Credentials.load(null, Map.of(),
        dir));
    LocalStore local = assertInstanceOf(LocalStore.class, s);
    assertEquals(dir.resolve("r"), local.root());
  }

  @Test
  void sftp_withPasswordAndFingerprint_isRetryingOverSftp(@TempDir Path dir) throws IOException {
    Credentials c = creds(dir, "password=hunter2\nhost-key-fingerprint=SHA256:abcdef\n");
    try (Store s = Destinations.open(DestinationUrl.parse("sftp://backup@127.0.0.1:2222/srv/r"), c)) {
      RetryingStore r = assertInstanceOf(RetryingStore.class, s);
      SftpStore sftp = assertInstanceOf(SftpStore.class, r.inner());
      SftpStore.Config cfg = sftp.config();
      assertEquals("127.0.0.1", cfg.host());
      assertEquals(2222, cfg.port());
      assertEquals("backup", cfg.user());
      assertEquals("/srv/r", cfg.root());
      assertEquals("hunter2", cfg.password());
      assertEquals("SHA256:abcdef", cfg.hostKeyFingerprint());
      assertNull(cfg.identityFile(), "no default key next to a password");
      assertEquals("sftp://backup@127.0.0.1:2222/srv/r", s.name());
      assertFalse(s.name().contains("hunter2"));
    }
  }

  @Test
  void sftp_defaultsToOpenSshKeyAndKnownHosts(@TempDir Path dir) throws IOException {
    Path ssh = Files.createDirectories(dir.resolve("home/.ssh"));
    Files.writeString(ssh.resolve("id_ecdsa"), "key");
    Files.writeString(ssh.resolve("known_hosts"), "");
    SftpStore.Config cfg = Destinations.sftpConfig(DestinationUrl.parse("sftp://u@h/~/r"),
        Credentials.load(null, Map.of(), dir.resolve("home")));
    assertEquals(ssh.resolve("id_ecdsa"), cfg.identityFile());
    assertEquals(ssh.resolve("known_hosts"), cfg.knownHosts());
    assertNull(cfg.hostKeyFingerprint());
    assertEquals("r", cfg.root());
  }

  @Test
  void sftp_withoutAuthOrHostKeyCheck_isRefusedSayingWhatToAdd(@TempDir Path dir) throws IOException {
    DestinationUrl url = DestinationUrl.parse("sftp://u@h:2200/r");
    String noAuth = error(() -> Destinations.open(url, Credentials.load(null, Map.of(), dir)));
    assertTrue(noAuth.contains("no password and no key") && noAuth.contains("sftp://u@h:2200/r"), noAuth);
    Credentials pw = creds(dir, "password=x\n");
    String noHostKey = error(() -> Destinations.open(url, pw));
    assertTrue(noHostKey.contains("host key") && noHostKey.contains("ssh-keyscan -p 2200 h"), noHostKey);
    Credentials key = creds(dir, "identity-file=/nonexistent/key\nhost-key-fingerprint=SHA256:x\n");
    String noIdentity = error(() -> Destinations.open(url, key));
    assertTrue(noIdentity.contains("identity file /nonexistent/key cannot be read"), noIdentity);
  }

  @Test
  void ftpAndFtps_areRetryingOverFtp(@TempDir Path dir) throws IOException {
    Credentials c = creds(dir, "password=pw\n");
    try (Store s = Destinations.open(DestinationUrl.parse("ftp://u@h:2121/pub"), c)) {
      FtpStore ftp = assertInstanceOf(FtpStore.class, assertInstanceOf(RetryingStore.class, s).inner());
      assertFalse(ftp.config().tls());
      assertEquals("pw", ftp.config().password());
      assertEquals("ftp://u@h:2121/pub", s.name());
    }
    Credentials pinned = creds(dir, "password=pw\ncertificate-fingerprint=" + "ab".repeat(32) + "\n");
    try (Store s = Destinations.open(DestinationUrl.parse("ftps://u@h/~/b"), pinned)) {
      FtpStore ftps = assertInstanceOf(FtpStore.class, ((RetryingStore) s).inner());
      assertTrue(ftps.config().tls());
      assertTrue(ftps.config().certificateFingerprint() != null);
      assertEquals("ftps://u@h:21/b", s.name());
    }
    String plainPin = error(() -> Destinations.open(DestinationUrl.parse("ftp://u@h/x"), pinned));
    assertTrue(plainPin.contains("use ftps://"), plainPin);
    Credentials badPin = creds(dir, "certificate-fingerprint=AB:CD\n");
    String bad = error(() -> Destinations.open(DestinationUrl.parse("ftps://u@h/x"), badPin));
    assertTrue(bad.startsWith("ftps://u@h:21/x: ") && bad.contains("fingerprint"), bad);
  }

  @Test
  void s3_withoutKeys_isRefusedNamingTheFileKeysAndTheEnvironment(@TempDir Path dir) {
    String m = error(() -> Destinations.open(DestinationUrl.parse("s3://bkt/p"), Credentials.load(null, Map.of(),
        dir)));
    assertTrue(m.contains("access-key") && m.contains("AWS_ACCESS_KEY_ID") && m.contains("s3://bkt/p"), m);
  }

  @Test
  void azure_withoutKey_isRefusedNamingTheFileKeysAndTheEnvironment(@TempDir Path dir) {
    String m = error(() -> Destinations.open(DestinationUrl.parse("azure://acct/box"), Credentials.load(null,
        Map.of(), dir)));
    assertTrue(m.startsWith("azure://acct/box: no account key") && m.contains("connection-string=")
        && m.contains("account-key=") && m.contains("AZURE_STORAGE_CONNECTION_STRING"), m);
  }

  @Test
  void azure_fromConnectionStringOrAccountKey_isRetryingOverAzure(@TempDir Path dir) throws IOException {
    Credentials env = Credentials.load(null, Map.of("AZURE_STORAGE_CONNECTION_STRING",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net"), dir);
    try (Store s = Destinations.open(DestinationUrl.parse("azure://acct/box/pc1"), env)) {
      AzureStore azure = assertInstanceOf(AzureStore.class, assertInstanceOf(RetryingStore.class, s).inner());
      assertEquals("c2VjcmV0", azure.config().accountKey());
      assertEquals(URI.create("https://acct.blob.core.windows.net"), azure.config().serviceEndpoint());
      assertEquals("pc1/", azure.config().prefix());
      assertFalse(s.name().contains("c2VjcmV0"), s.name());
      assertNull(azure.config().proxy());
    }
    Credentials key = creds(dir, "account-key=a2V5\n");
    DestinationUrl local = DestinationUrl.parse("azure://devstoreaccount1/box?endpoint=http://127.0.0.1:10000/"
        + "devstoreaccount1");
    try (Store s = Destinations.openBare(local, key)) {
      AzureStore azure = assertInstanceOf(AzureStore.class, s);
      assertEquals("a2V5", azure.config().accountKey());
      assertEquals(URI.create("http://127.0.0.1:10000/devstoreaccount1"), azure.config().serviceEndpoint());
    }
    String other = error(() -> Destinations.open(DestinationUrl.parse("azure://other/box"), env));
    assertTrue(other.startsWith("azure://other/box: ") && other.contains("for account acct, not other"), other);
    assertFalse(other.contains("c2VjcmV0"), other);
  }

  @Test
  void s3AndAzure_goThroughTheUrlsProxyWithTheCredentialsLogin(@TempDir Path dir) throws IOException {
    Credentials c = creds(dir, "access-key=AKID\nsecret-key=sk\naccount-key=a2V5\nproxy-username=pu\n"
        + "proxy-password=pp\n");
    try (Store s = Destinations.openBare(DestinationUrl.parse("s3://bkt/p?endpoint=http://127.0.0.1:9000&proxy="
        + "http://proxy.example:3128"), c)) {
      S3Store s3 = assertInstanceOf(S3Store.class, s);
      assertEquals(new HttpProxy("proxy.example", 3128, "pu", "pp"), s3.config().proxy());
      assertFalse(s3.config().toString().contains("pp"), s3.config().toString());
    }
    try (Store s = Destinations.openBare(DestinationUrl.parse("azure://acct/box?proxy=http://10.0.0.1:8080"), c)) {
      AzureStore azure = assertInstanceOf(AzureStore.class, s);
      assertEquals(new HttpProxy("10.0.0.1", 8080, "pu", "pp"), azure.config().proxy());
    }
    try (Store s = Destinations.openBare(DestinationUrl.parse("s3://bkt/p"), c)) {
      assertNull(assertInstanceOf(S3Store.class, s).config().proxy(), "no proxy in the URL: direct");
    }
    Credentials noLogin = creds(dir, "access-key=AKID\nsecret-key=sk\n");
    try (Store s = Destinations.openBare(DestinationUrl.parse("s3://bkt/p?proxy=http://proxy.example:3128"),
        noLogin)) {
      assertFalse(assertInstanceOf(S3Store.class, s).config().proxy().hasLogin());
    }
  }

  @Test
  void bandwidth_wrapsEveryStore_remoteOnesInsideTheRetries(@TempDir Path dir) throws IOException {
    Throttle t = Throttle.of(Rate.parse("1MiB/s"), Mode.SHARED);
    Credentials c = creds(dir, "password=x\nhost-key-fingerprint=SHA256:x\n");
    try (Store local = Destinations.open(DestinationUrl.parse(dir.resolve("r").toString()), c, t);
        Store sftp = Destinations.open(DestinationUrl.parse("sftp://u@h/r"), c, t)) {
      assertInstanceOf(LocalStore.class, assertInstanceOf(ThrottledStore.class, local).inner());
      ThrottledStore inner = assertInstanceOf(ThrottledStore.class, assertInstanceOf(RetryingStore.class, sftp)
          .inner());
      assertInstanceOf(SftpStore.class, inner.inner());
    }
  }

  @Test
  void openBare_hasNoDecorators(@TempDir Path dir) throws IOException {
    Credentials c = creds(dir, "password=x\nhost-key-fingerprint=SHA256:x\n");
    try (Store s = Destinations.openBare(DestinationUrl.parse("sftp://u@h/r"), c)) {
      assertInstanceOf(SftpStore.class, s);
    }
  }
}
