package au.com.backup247.agent.repo.store.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The FTPS server certificate check of one store: a pinned SHA-256 fingerprint of the leaf
 * certificate, else the chain against a trust store or the JDK's default CAs. Why the last
 * certificate was refused is kept, so the connection error can show it (with the fingerprint to pin).
 */
final class FtpTrust {
  private final String name;
  private final FtpStore.Config config;
  private volatile String certificateRefusal;

  FtpTrust(String name, FtpStore.Config config) {
    this.name = name;
    this.config = config;
  }

  /** Why the last certificate was refused, or null. */
  String refusal() {
    return certificateRefusal;
  }

  /** Forgets the last refusal, before a new connection. */
  void clearRefusal() {
    certificateRefusal = null;
  }

  /** The SHA-256 fingerprint of a certificate as upper-case hex pairs joined by colons (as OpenSSL prints it). */
  public static String fingerprint(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /** {@code "SHA256:ab:cd…"}, {@code "abcd…"} → {@code "AB:CD:…"}; refuses anything but 32 hex bytes. */
  static String normalizeFingerprint(String fp) {
    String hex = fp.trim();
    if (hex.regionMatches(true, 0, "SHA256:", 0, 7) || hex.regionMatches(true, 0, "SHA-256:", 0, 8)) {
      hex = hex.substring(hex.indexOf(':') + 1);
    }
    hex = hex.replace(":", "").replace(" ", "");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the certificate fingerprint must be a SHA-256 digest: 64 hex digits,"
          + " optionally with colons");
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }

  /** Checks a server's certificate as the config says; a refusal is kept for {@link #refusal}. */
  X509TrustManager manager() {
    X509TrustManager chainCheck = null;
    if (config.certificateFingerprint() == null) {
      try {
        KeyStore ks = null;
        if (config.trustStore() != null) {
          if (!Files.isReadable(config.trustStore())) {
            throw new IllegalArgumentException(name + ": trust store " + config.trustStore() + " is not readable");
          }
          char[] pw = config.trustStorePassword() == null ? null : config.trustStorePassword().toCharArray();
          ks = KeyStore.getInstance(config.trustStore().toFile(), pw);
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            chainCheck = x;
          }
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(name + ": cannot load trust store " + config.trustStore() + " ("
            + e.getClass().getSimpleName() + ")", e);
      }
      if (chainCheck == null) {
        throw new IllegalStateException("no X509 trust manager");
      }
    }
    X509TrustManager chain = chainCheck;
    String pin = config.certificateFingerprint();
    return new X509TrustManager() {
      @Override
      public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        if (certs == null || certs.length == 0) {
          certificateRefusal = "the server sent no certificate";
          throw new CertificateException(certificateRefusal);
        }
        String got = fingerprint(certs[0]);
        String who = "certificate \"" + certs[0].getSubjectX500Principal().getName() + "\" (SHA-256 " + got + ")";
        if (pin != null) {
          if (!pin.equals(got)) {
            certificateRefusal = "unknown server " + who + " does not match the pinned fingerprint " + pin;
            throw new CertificateException(certificateRefusal);
          }
          return;
        }
        try {
          chain.checkServerTrusted(certs, authType);
        } catch (CertificateException e) {
          certificateRefusal = "untrusted server " + who + ": " + e.getMessage()
              + (config.trustStore() != null ? " (trust store " + config.trustStore() + ")" : " (JDK default CAs)")
              + "; pin the fingerprint after checking it with the server's administrator";
          throw e;
        }
      }

      @Override
      public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("not a server");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return chain == null ? new X509Certificate[0] : chain.getAcceptedIssuers();
      }
    };
  }
}
