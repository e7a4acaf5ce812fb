package au.com.backup247.agent.repo.store;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

/**
 * An HTTP proxy through which the HTTP-based destinations ({@code S3Store}, {@code AzureStore})
 * reach their service (guide ch. 9.8.1: address, port, optional login ID and password). Plain
 * {@code http://} requests are sent to the proxy in absolute form; {@code https://} ones go through
 * a {@code CONNECT} tunnel. With a login, the proxy's {@code 407} challenge is answered with Basic
 * authentication.
 *
 * <p>{@link #toString()} and {@link #url()} never show the password.
 *
 * @param host proxy host name or address
 * @param port proxy port
 * @param username login ID, or null for a proxy without login
 * @param password password for {@code username}, or null (then "" is sent)
 */
public record HttpProxy(String host, int port, String username, String password) {
  /** The JDK property that keeps Basic proxy logins off the CONNECT of {@code https://} tunnels. */
  public static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

  /**
   * Lets a proxy login go as a {@code Proxy-Authorization: Basic} header on the CONNECT of
   * {@code https://} tunnels (the JDK's HTTP client, used by the Azure SDK, refuses to unless this
   * property, read once when {@code java.net.http} first loads, allows it). Only requests that carry
   * such a header are affected; a value the user set is kept. A process-wide setting, so the
   * program's entry point calls it before any HTTP client exists (and the tests' JVMs get it on their
   * command line), never a destination.
   */
  public static void allowBasicLoginOnTunnels() {
    if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
      System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
    }
  }

  public HttpProxy {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("HTTP proxy: no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("HTTP proxy " + host + ": port " + port + " is out of range (1 to 65535)");
    }
    if (username != null && username.isEmpty()) {
      username = null;
    }
    if (username == null && password != null) {
      throw new IllegalArgumentException("HTTP proxy " + host + ":" + port + ": a password without a user name");
    }
  }

  /**
   * Reads {@code http://host:port} (a trailing {@code /} is allowed; the port defaults to 80).
   *
   * @throws IllegalArgumentException naming what is wrong; never for a login in the URL, which is
   *     refused (the password belongs in the credentials file)
   */
  public static HttpProxy parse(String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("HTTP proxy \"" + shown(text) + "\" is not a URL such as http://proxy:3128");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("HTTP proxy URL must not hold a user or password: put proxy-username and "
          + "proxy-password in the credentials file");
    }
    if (u.getScheme() == null || !u.getScheme().toLowerCase(Locale.ROOT).equals("http") || u.getHost() == null) {
      throw new IllegalArgumentException("HTTP proxy \"" + shown(text) + "\" must look like http://host:port");
    }
    if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")
        || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("HTTP proxy \"" + shown(text) + "\" must be only http://host:port");
    }
    String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
    return new HttpProxy(host, u.getPort() < 0 ? 80 : u.getPort(), null, null);
  }

  /** {@code text} without whatever stands before an '@' (a login that must not be shown). */
  private static String shown(String text) {
    return text.replaceAll("//[^/]*@", "//…@");
  }

  /** The same proxy with a login ({@code username} null: none). */
  public HttpProxy withLogin(String username, String password) {
    return new HttpProxy(host, port, username, password);
  }

  /** True when the proxy needs a login. */
  public boolean hasLogin() {
    return username != null;
  }

  /** What to say when the proxy answers 407: its login is missing or wrong (never the password). */
  public String loginRefused() {
    return "the HTTP proxy " + url() + " refused the login (HTTP 407 Proxy Authentication Required): "
        + (hasLogin() ? "check proxy-username (" + username + ") and proxy-password" : "it needs proxy-username"
        + " and proxy-password in the credentials file");
  }

  /** {@code http://host:port}, without the login. */
  public String url() {
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@link #url()} as a URI. */
  public URI uri() {
    return URI.create(url());
  }

  /** An unresolved address of the proxy (resolved when connecting). */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** The URL and, when there is a login, the user name; never the password. */
  @Override
  public String toString() {
    return url() + (username == null ? "" : " (user " + username + ")");
  }
}
