package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.store.azure.AzureStore;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Configuration;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Azure Blob service for the Azure tests: Azurite (the npm package {@code azurite}, blob
 * service only) started as a process on 127.0.0.1 at a free port, storing into a temp folder, with
 * its well-known development account {@code devstoreaccount1}.
 *
 * <p>The program is found in this order: the environment variable {@code AZURITE_BIN} (the path of
 * {@code azurite-blob}); {@code azurite-blob} on the {@code PATH} ({@code npm install -g
 * azurite@3.37.0}, as {@code .ci/run} does); {@code node_modules/.bin/azurite-blob} under the
 * project (a local {@code npm install azurite@3.37.0}; {@code node_modules/} is ignored by git).
 * When none exists the tests fail when {@code CI=true} (CI installs it, so its absence is a broken
 * setup) and are skipped with a message saying how to install it otherwise.
 */
public final class AzuritePeer implements AutoCloseable {
  public static final String ACCOUNT = "devstoreaccount1";
  /** Azurite's published development key (not a secret). */
  public static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  /** Password of {@link #trustStore}. */
  public static final String TRUST_PASSWORD = "azurite-test";

  public final Process process;
  public final int port;
  public final URI endpoint;
  public final Path log;
  /** For HTTPS: a PKCS12 trust store holding the server's self-signed certificate; else null. */
  public final Path trustStore;
  /** The JVM's {@link #shared} server: stopped when the JVM ends, not by {@link #close}. */
  private boolean ofTheJvm;
  private static AzuritePeer shared;

  private AzuritePeer(Process process, int port, Path log, Path trustStore) {
    this.process = process;
    this.port = port;
    this.endpoint = URI.create((trustStore == null ? "http" : "https") + "://127.0.0.1:" + port + "/" + ACCOUNT);
    this.log = log;
    this.trustStore = trustStore;
  }

  /** The azurite-blob program, or null when it is nowhere. */
  public static Path findProgram() {
    String env = System.getenv("AZURITE_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, "azurite-blob");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    Path local = Path.of("node_modules", ".bin", "azurite-blob").toAbsolutePath();
    return Files.isExecutable(local) ? local : null;
  }

  /**
   * Starts Azurite's blob service storing into {@code folder}; fails (CI) or skips (elsewhere)
   * when Azurite is not installed.
   */
  public static AzuritePeer start(Path folder) throws Exception {
    return start(folder, false);
  }

  /**
   * The Azurite of this JVM (plain HTTP), started by the first call and stopped when the JVM ends;
   * its {@link #close} does nothing. Starting Azurite takes about 10 s, so the test classes share
   * one, each working in containers of its own names. Fails (CI) or skips like {@link #start}.
   */
  public static synchronized AzuritePeer shared() throws Exception {
    if (shared == null || !shared.process.isAlive()) {
      Path folder = Files.createTempDirectory("b247-azurite");
      AzuritePeer peer = start(folder, false);
      peer.ofTheJvm = true;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          peer.stop();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        SystemUser.deleteQuietly(folder);
      }, "b247-azurite-stop"));
      shared = peer;
    }
    return shared;
  }

  /**
   * Starts Azurite serving HTTPS with a self-signed certificate for 127.0.0.1 (made with the JDK's
   * keytool), which {@link #trustStore} trusts.
   */
  public static AzuritePeer startHttps(Path folder) throws Exception {
    return start(folder, true);
  }

  private static AzuritePeer start(Path folder, boolean https) throws Exception {
    Path program = findProgram();
    String how = "Azurite is not installed: run npm install -g azurite@3.37.0 (or set AZURITE_BIN to azurite-blob)";
    if (program == null || !Files.isExecutable(program)) {
      String what = program == null ? how : "AZURITE_BIN " + program + " is not an executable file";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(what + "; .ci/run installs it, so on CI this is an error");
      }
      Assumptions.abort(what);
    }
    int port = SshPeers.freePort();
    Path data = Files.createDirectories(folder.resolve("azurite-data"));
    Path log = folder.resolve("azurite.log");
    List<String> command = new ArrayList<>(List.of(program.toString(), "--blobHost", "127.0.0.1", "--blobPort",
        String.valueOf(port), "--location", data.toString(), "--skipApiVersionCheck", "--loose", "--silent"));
    Path trust = null;
    if (https) {
      trust = folder.resolve("azurite-trust.p12");
      Path[] pem = selfSignedPem(folder, trust);
      command.addAll(List.of("--cert", pem[0].toString(), "--key", pem[1].toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    AzuritePeer peer = new AzuritePeer(p, port, log, trust);
    try {
      peer.awaitPort(Duration.ofSeconds(60));
    } catch (Exception e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /**
   * A self-signed RSA certificate for 127.0.0.1 as PEM files {cert, key} for Azurite, and a trust
   * store with the certificate at {@code trust}. The key and certificate also stay in
   * {@code folder/azurite-key.p12} (PKCS12, alias {@code azurite}, password {@link #TRUST_PASSWORD})
   * for Java servers.
   */
  public static Path[] selfSignedPem(Path folder, Path trust) throws Exception {
    Path p12 = folder.resolve("azurite-key.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process k = new ProcessBuilder(keytool, "-genkeypair", "-alias", "azurite", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", p12.toString(), "-storepass", TRUST_PASSWORD, "-keypass", TRUST_PASSWORD)
        .redirectErrorStream(true).start();
    String out = new String(k.getInputStream().readAllBytes());
    if (!k.waitFor(60, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, TRUST_PASSWORD.toCharArray());
    }
    Certificate cert = ks.getCertificate("azurite");
    PrivateKey key = (PrivateKey) ks.getKey("azurite", TRUST_PASSWORD.toCharArray());
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path certPem = Files.writeString(folder.resolve("azurite-cert.pem"), "-----BEGIN CERTIFICATE-----\n"
        + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Path keyPem = Files.writeString(folder.resolve("azurite-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + b64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("azurite", cert);
    try (OutputStream o = Files.newOutputStream(trust)) {
      ts.store(o, TRUST_PASSWORD.toCharArray());
    }
    return new Path[] {certPem, keyPem};
  }

  /** An SSL context that trusts this server's certificate (HTTPS only). */
  public SSLContext sslContext() throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      ts.load(in, TRUST_PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private void awaitPort(Duration max) {
    SshPeers.awaitGreeting("azurite-blob", port, "", process, log, max);
  }

  /** Azurite's connection string for this port (as the Azure tools print it). */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
        + endpoint + ";";
  }

  /** Store settings for {@code container}/{@code prefix} on this server. */
  public AzureStore.Config config(String container, String prefix) {
    return AzureStore.Config.of(ACCOUNT, container, prefix).withEndpoint(endpoint).withAccountKey(KEY)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  /** A plain SDK client for setting up and checking behind the store's back. */
  public BlobServiceClient client() {
    JdkHttpClientBuilder http;
    try {
      http = trustStore == null ? new JdkHttpClientBuilder()
          : new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(sslContext()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new BlobServiceClientBuilder().configuration(Configuration.NONE)
        .httpClient(http.configuration(Configuration.NONE).build())
        .endpoint(endpoint.toString()).credential(new StorageSharedKeyCredential(ACCOUNT, KEY)).buildClient();
  }

  public BlobContainerClient createContainer(String name) {
    return client().createBlobContainer(name);
  }

  /** Environment for a child process that should find Azurite's account. */
  public Map<String, String> environment() {
    return Map.of("AZURE_STORAGE_CONNECTION_STRING", connectionString());
  }

  @Override
  public void close() throws InterruptedException {
    if (!ofTheJvm) {
      stop();
    }
  }

  /**
   * Kills the server: its graceful stop (SIGTERM) waits about 10 s for idle keep-alive connections,
   * and its data is a test's temporary folder, nothing to keep.
   */
  private void stop() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
