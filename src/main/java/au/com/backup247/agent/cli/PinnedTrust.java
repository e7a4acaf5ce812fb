package au.com.backup247.agent.cli;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by the SHA-256 fingerprint of its DER form
 * ({@code AB:CD:...}): the CLI's trust in its own agent. Any other certificate is refused, whoever
 * signed it. The certificate is the identity, so no host name is checked (an agent on
 * {@code 0.0.0.0} is called at 127.0.0.1, which a configured certificate need not name).
 */
final class PinnedTrust extends X509ExtendedTrustManager {
  private final String fingerprint;

  private PinnedTrust(String fingerprint) {
    this.fingerprint = fingerprint.toUpperCase(Locale.ROOT);
  }

  static SSLContext context(String fingerprint) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new PinnedTrust(fingerprint)}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is missing from this Java runtime", e);
    }
  }

  /** The message of a failed call, with the pinning error (not the generic handshake one) when there is one. */
  static String reason(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException && t.getCause() instanceof CertificateException c) {
        return c.getMessage();
      }
    }
    return e.getMessage();
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the agent presented no certificate");
    }
    String got;
    try {
      got = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(chain[0].getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot hash the agent's certificate", e);
    }
    if (!got.equals(fingerprint)) {
      throw new CertificateException("the server's certificate (SHA-256 " + got + ") is not the agent's ("
          + fingerprint + ", from its state file); refusing to talk to it");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the CLI accepts no client connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the CLI accepts no client connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the CLI accepts no client connections");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
