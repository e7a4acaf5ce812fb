package au.com.backup247.agent.api;

import au.com.backup247.agent.config.ConfigException;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.HostName;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS of the API. A loopback {@code api.host} is served over plain HTTP unless {@code api.tls}
 * names a certificate; any other host only over HTTPS: with the configured PEM certificate and
 * key, or else a self-signed one made on the first start in {@code <home>/config/tls/}
 * ({@code agent.crt}, {@code agent.key}, both 0600): EC P-256, SHA-256 with ECDSA, valid 10 years,
 * with subject alternative names for {@code api.host} (every address of this machine and its name
 * when the host is a wildcard), {@code localhost}, {@code 127.0.0.1} and {@code ::1}.
 *
 * <p>The certificate's fingerprint (SHA-256 of its DER form, {@code AB:CD:...} as browsers and
 * {@code openssl x509 -fingerprint -sha256} show it) goes to the log, the state file and the
 * Information page; the CLI trusts exactly that certificate. Blocking (files, key generation):
 * call before deploying, not on an event loop.
 */
public final class ApiTls {
  static final Duration VALIDITY = Duration.ofDays(3652);
  private static final String EC_CURVE = "secp256r1";

  private ApiTls() {
  }

  /** The certificate the API serves with: its PEM files, fingerprint and whether the agent made it. */
  public record Served(Path certFile, Path keyFile, String fingerprint, boolean generated) {
    /** The api verticle's {@code tls} config. */
    public JsonObject toJson() {
      return new JsonObject().put("certFile", certFile.toString()).put("keyFile", keyFile.toString())
          .put("fingerprint", fingerprint);
    }
  }

  /**
   * Whether {@code host} is a loopback address, without a DNS lookup: {@code localhost}, or an IP
   * literal in 127.0.0.0/8 or {@code ::1}. A wildcard ({@code 0.0.0.0}, {@code ::}) and every other
   * name count as reachable from elsewhere.
   */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    try {
      return ip != null && InetAddress.getByAddress(ip).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The certificate to serve with: the configured files ({@code certFile}, {@code keyFile}, both
   * null when {@code api.tls} is not set), else for a non-loopback host the generated one (made
   * now when missing); empty (plain HTTP) for a loopback host without {@code api.tls}.
   *
   * @throws ConfigException naming the file or key when a file is missing or unusable
   */
  public static Optional<Served> prepare(String host, Path certFile, Path keyFile, Path generatedDir) {
    if (certFile != null) {
      return Optional.of(load(certFile, keyFile, "api.tls.certFile", "api.tls.keyFile", false));
    }
    if (isLoopback(host)) {
      return Optional.empty();
    }
    Path crt = generatedDir.resolve("agent.crt");
    Path key = generatedDir.resolve("agent.key");
    boolean made = false;
    if (!Files.exists(crt) && !Files.exists(key)) {
      generate(host, crt, key, Instant.now());
      made = true;
    }
    Served s = load(crt, key, "generated certificate", "generated key", true);
    return Optional.of(new Served(s.certFile(), s.keyFile(), s.fingerprint(), made));
  }

  /** The refusal for a non-loopback host without TLS (a deployment that bypassed {@link #prepare}). */
  static ConfigException withoutTls(String host, String configFile) {
    return new ConfigException("api.host " + host + " is not a loopback address: the API is served there only over "
        + "TLS (api.tls.certFile and api.tls.keyFile in " + configFile + ", or the certificate the agent generates "
        + "in config/tls/ when api.tls is left out)");
  }

  /** Server options for the files of {@code tls} (the api verticle's {@code tls} config). */
  static PemKeyCertOptions keyCert(JsonObject tls) {
    return new PemKeyCertOptions().setCertPath(tls.getString("certFile")).setKeyPath(tls.getString("keyFile"));
  }

  /** Makes a self-signed certificate for {@code host} and writes it and its key (PEM, 0600). */
  static X509Certificate generate(String host, Path certFile, Path keyFile, Instant now) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec(EC_CURVE), new SecureRandom());
      KeyPair kp = kpg.generateKeyPair();
      X500Name subject = new X500Name("CN=B247 Agent " + commonName(host) + ",O=B247 Agent (self-signed)");
      byte[] serial = new byte[16];
      new SecureRandom().nextBytes(serial);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, kp.getPublic());
      List<GeneralName> names = new ArrayList<>();
      for (String n : subjectAltNames(host)) {
        names.add(NetUtil.createByteArrayFromIpAddressString(n) != null
            ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
      PrivateFiles.write(keyFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
      PrivateFiles.write(certFile, pem("CERTIFICATE", cert.getEncoded()));
      return cert;
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new ConfigException("cannot make the API's TLS certificate in " + certFile.getParent() + ": " + e);
    }
  }

  /**
   * The names the generated certificate is valid for: {@code host} (for a wildcard: this machine's
   * name and every address of its interfaces that are up), then {@code localhost}, {@code 127.0.0.1}
   * and {@code ::1}.
   */
  static List<String> subjectAltNames(String host) {
    Set<String> names = new LinkedHashSet<>();
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    boolean wildcard = false;
    try {
      wildcard = ip != null && InetAddress.getByAddress(ip).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      // not an address
    }
    if (!wildcard) {
      names.add(ip == null ? host.toLowerCase(Locale.ROOT) : address(ip));
    } else {
      names.add(localName());
      try {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (ni.isUp()) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
              if (!a.isLinkLocalAddress()) {
                names.add(address(a.getAddress()));
              }
            }
          }
        }
      } catch (IOException e) {
        // no interface list: the host name and loopback names remain
      }
    }
    names.addAll(List.of("localhost", "127.0.0.1", "::1"));
    return List.copyOf(names);
  }

  private static String address(byte[] ip) {
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(ip));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String localName() {
    return HostName.local().toLowerCase(Locale.ROOT);
  }

  private static String commonName(String host) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    try {
      return ip != null && InetAddress.getByAddress(ip).isAnyLocalAddress() ? localName() : host;
    } catch (UnknownHostException e) {
      return host;
    }
  }

  /** SHA-256 of the certificate's DER form as {@code AB:CD:...}. */
  public static String fingerprint(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** Reads the first certificate of a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Checks that both files exist, hold a certificate and its private key; returns them with the fingerprint. */
  private static Served load(Path certFile, Path keyFile, String certKey, String keyKey, boolean generated) {
    X509Certificate cert;
    try {
      cert = readCertificate(certFile);
    } catch (NoSuchFileException e) {
      throw new ConfigException(certKey + " " + certFile + " does not exist"
          + (generated ? " (delete " + keyFile + " too to make a new pair)" : ""));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ConfigException(certKey + " " + certFile + " is not a PEM certificate: " + e.getMessage());
    }
    PrivateKey key;
    try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.UTF_8); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      key = o instanceof PEMKeyPair kp ? conv.getKeyPair(kp).getPrivate()
          : o instanceof PrivateKeyInfo pki ? conv.getPrivateKey(pki) : null;
    } catch (NoSuchFileException e) {
      throw new ConfigException(keyKey + " " + keyFile + " does not exist"
          + (generated ? " (delete " + certFile + " too to make a new pair)" : ""));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(keyKey + " " + keyFile + " cannot be read: " + e.getMessage());
    }
    if (key == null) {
      throw new ConfigException(keyKey + " " + keyFile + " holds no unencrypted PEM private key");
    }
    if (!matches(cert, key)) {
      throw new ConfigException(keyKey + " " + keyFile + " is not the private key of " + certKey + " " + certFile);
    }
    return new Served(certFile, keyFile, fingerprint(cert), generated);
  }

  private static boolean matches(X509Certificate cert, PrivateKey key) {
    String name = key.getAlgorithm(); // "EC" from the JDK, "ECDSA" when Bouncy Castle read the key
    String alg = name.equals("EC") || name.equals("ECDSA") ? "SHA256withECDSA" : name.equals("RSA")
        ? "SHA256withRSA" : name.equals("Ed25519") || name.equals("EdDSA") ? "Ed25519" : null;
    if (alg == null) {
      return true; // an algorithm this check does not know: the TLS handshake will tell
    }
    try {
      byte[] probe = "b247 key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
