package au.com.backup247.agent.destination;

import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.ftp.FtpStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a repository lives, as the user names it on the command line or in the configuration:
 * <ul>
 *   <li>a plain path ({@code /srv/backup}, {@code backup}) or {@code file:///srv/backup};</li>
 *   <li>{@code sftp://user@host:port/path} (user defaults to the local user name, port to 22);</li>
 *   <li>{@code ftp://user@host:port/path} and {@code ftps://…} (explicit TLS; user defaults to
 *   {@code anonymous}, port to 21);</li>
 *   <li>{@code s3://bucket/prefix?endpoint=http://host:port&region=…&style=path|virtual}
 *   (path-style addressing when an endpoint is given, virtual-host style otherwise, unless
 *   {@code style} says otherwise);</li>
 *   <li>{@code azure://account/container/prefix?endpoint=…} (for Azurite
 *   {@code ?endpoint=http://127.0.0.1:10000/devstoreaccount1}).</li>
 * </ul>
 * S3 and Azure URLs may name an HTTP proxy: {@code &proxy=http://host:port}; its login
 * ({@code proxy-username}, {@code proxy-password}) comes from the credentials file.
 * For SFTP, {@code /path} is absolute on the server, {@code /~/path} is relative to the login
 * folder, and no path at all is the login folder itself. For FTP and FTPS (RFC 1738, as curl),
 * {@code /path} is relative to the login folder and {@code /%2Fpath} absolute. Percent escapes ({@code %20}) are
 * decoded in users and paths.
 *
 * <p>Secrets never appear in a destination URL: a password in the user part ({@code user:pass@})
 * or a secret in the query is refused, and the error says to use a credentials file instead
 * ({@link Credentials}). So {@link #toString()} (the canonical form, which {@link #parse} reads
 * back to an equal value) is safe to print and log.
 */
public final class DestinationUrl {

  /** The kind of destination, from the URL's scheme. */
  public enum Scheme {
    /** A local folder (a plain path or {@code file://}). */
    LOCAL("file", 0),
    SFTP("sftp", 22),
    FTP("ftp", 21),
    /** FTP with explicit TLS (AUTH TLS on the control connection, protected data connections). */
    FTPS("ftps", 21),
    S3("s3", 0),
    AZURE("azure", 0);

    private final String label;
    private final int defaultPort;

    Scheme(String label, int defaultPort) {
      this.label = label;
      this.defaultPort = defaultPort;
    }

    /** The scheme as written in URLs. */
    public String label() {
      return label;
    }

    /** The port used when the URL gives none (0 when the scheme has no port). */
    public int defaultPort() {
      return defaultPort;
    }
  }

  private final Scheme scheme;
  private final Path localPath;
  private final String user;
  private final String host;
  private final int port;
  private final String root;
  private final String bucket;
  private final String account;
  private final String container;
  private final String prefix;
  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;
  private final HttpProxy proxy;

  DestinationUrl(Scheme scheme, Path localPath, String user, String host, int port, String root,
      String bucket, String account, String container, String prefix, URI endpoint, String region,
      boolean pathStyle) {
    this(scheme, localPath, user, host, port, root, bucket, account, container, prefix, endpoint, region, pathStyle,
        null);
  }

  DestinationUrl(Scheme scheme, Path localPath, String user, String host, int port, String root,
      String bucket, String account, String container, String prefix, URI endpoint, String region,
      boolean pathStyle, HttpProxy proxy) {
    this.scheme = scheme;
    this.localPath = localPath;
    this.user = user;
    this.host = host;
    this.port = port;
    this.root = root;
    this.bucket = bucket;
    this.account = account;
    this.container = container;
    this.prefix = prefix;
    this.endpoint = endpoint;
    this.region = region;
    this.pathStyle = pathStyle;
    this.proxy = proxy;
  }

  /** A local folder. */
  public static DestinationUrl local(Path folder) {
    return new DestinationUrl(Scheme.LOCAL, folder.toAbsolutePath().normalize(), null, null, 0, null, null, null,
        null, null, null, null, false);
  }

  /**
   * Reads a destination: a path or a URL (see the class comment).
   *
   * @throws DestinationException naming the bad part; never echoing a secret
   */
  public static DestinationUrl parse(String text) {
    return UrlParser.parse(text);
  }

  /**
   * The folder {@code name} (one path segment) inside this destination, as a destination of its
   * own: where the agent keeps a set's repository ({@code <destination>/<setId>/}). The same
   * scheme, login, endpoint and proxy; the path or prefix gets {@code /name}.
   */
  public DestinationUrl resolve(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not one folder name: \"" + name + "\"");
    }
    if (isLocal()) {
      return local(localPath.resolve(name));
    }
    String url = toString();
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    return parse((path.endsWith("/") ? path : path + "/") + encode(name, false) + (q < 0 ? "" : url.substring(q)));
  }

  /** Escapes what would not read back the same: '%', '?', '#', and in users also '@', ':' and '/'. */
  static String encode(String s, boolean user) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '?' || c == '#' || c == ' ' || user && (c == '@' || c == ':' || c == '/')) {
        b.append('%').append(String.format("%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  // ---- accessors -------------------------------------------------------------------------------

  public Scheme scheme() {
    return scheme;
  }

  /** True for a local folder. */
  public boolean isLocal() {
    return scheme == Scheme.LOCAL;
  }

  /** The folder of a local destination (absolute, normalized); null for the others. */
  public Path localPath() {
    return localPath;
  }

  /** SFTP/FTP user (never null for those schemes). */
  public String user() {
    return user;
  }

  /** SFTP/FTP host, lower case; an IPv6 literal without brackets. */
  public String host() {
    return host;
  }

  /** SFTP/FTP port (the scheme's default when the URL gives none). */
  public int port() {
    return port;
  }

  /**
   * SFTP/FTP folder on the server: absolute ({@code /srv/backup}), relative to the login folder
   * ({@code backup}), or {@code ""} for the login folder itself.
   */
  public String root() {
    return root;
  }

  /** S3 bucket. */
  public String bucket() {
    return bucket;
  }

  /** Azure storage account. */
  public String account() {
    return account;
  }

  /** Azure container. */
  public String container() {
    return container;
  }

  /** S3/Azure key prefix without leading or trailing '/', or {@code ""}. */
  public String prefix() {
    return prefix;
  }

  /** S3/Azure service endpoint, or null for the provider's default. */
  public URI endpoint() {
    return endpoint;
  }

  /** S3 region, or null (the store's default). */
  public String region() {
    return region;
  }

  /** S3 path-style addressing ({@code endpoint/bucket/key}) rather than virtual-host style. */
  public boolean pathStyle() {
    return pathStyle;
  }

  /**
   * S3/Azure: the HTTP proxy requests go through ({@code ?proxy=http://host:port}), without its
   * login (that comes from the credentials); null for a direct connection.
   */
  public HttpProxy proxy() {
    return proxy;
  }

  /** The canonical form: a plain absolute path for local folders, otherwise a URL without secrets. */
  @Override
  public String toString() {
    return switch (scheme) {
      case LOCAL -> localPath.toString();
      case SFTP -> scheme.label() + "://" + encode(user, true) + "@"
          + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
          + (root.isEmpty() ? "/~" : root.startsWith("/") ? encode(root, false) : "/~/" + encode(root, false));
      case FTP, FTPS -> scheme.label() + "://" + encode(user, true) + "@"
          + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + FtpStore.urlPath(root);
      case S3 -> "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + encode(prefix, false)) + s3Query();
      case AZURE -> "azure://" + account + "/" + container + (prefix.isEmpty() ? "" : "/" + encode(prefix, false))
          + azureQuery();
    };
  }

  private String s3Query() {
    StringBuilder b = new StringBuilder();
    if (endpoint != null) {
      b.append("&endpoint=").append(encodeParam(endpoint.toString()));
    }
    if (region != null) {
      b.append("&region=").append(region);
    }
    if (pathStyle != (endpoint != null)) {
      b.append("&style=").append(pathStyle ? "path" : "virtual");
    }
    if (proxy != null) {
      b.append("&proxy=").append(encodeParam(proxy.url()));
    }
    return b.length() == 0 ? "" : "?" + b.substring(1);
  }

  private String azureQuery() {
    StringBuilder b = new StringBuilder();
    if (endpoint != null) {
      b.append("&endpoint=").append(encodeParam(endpoint.toString()));
    }
    if (proxy != null) {
      b.append("&proxy=").append(encodeParam(proxy.url()));
    }
    return b.length() == 0 ? "" : "?" + b.substring(1);
  }

  private static String encodeParam(String s) {
    return s.replace("%", "%25").replace("&", "%26").replace("#", "%23");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DestinationUrl d && d.scheme == scheme && d.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, toString());
  }
}
