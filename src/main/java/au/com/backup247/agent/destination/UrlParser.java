package au.com.backup247.agent.destination;

import au.com.backup247.agent.destination.DestinationUrl.Scheme;
import au.com.backup247.agent.repo.store.HttpProxy;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@link DestinationUrl}s; every error names the bad part and never echoes a secret. */
final class UrlParser {
  private static final Set<String> SECRET_PARAMS = Set.of("password", "pass", "passwd", "secret", "secret-key",
      "secretkey", "secret_key", "access-key", "accesskey", "access_key", "key", "token", "sig", "signature",
      "connection-string", "sas", "identity-passphrase", "account-key", "proxy-password", "proxy-pass", "passphrase", "aws_secret_access_key",
      "x-amz-signature", "x-amz-credential", "x-amz-security-token");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IPV4 = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern CONTAINER = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]*[a-z0-9]");

  private UrlParser() {
  }

  static DestinationUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new DestinationException("the destination is empty: give a folder or a URL such as sftp://user@host/path");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new DestinationException("destination \"" + printable(text) + "\" contains a control character");
      }
    }
    int sep = text.indexOf("://");
    if (sep < 0) {
      int colon = text.indexOf(':');
      if (colon > 0) {
        String s = text.substring(0, colon).toLowerCase(Locale.ROOT);
        for (Scheme k : Scheme.values()) {
          if (k != Scheme.LOCAL && k.label().equals(s)) {
            throw new DestinationException("destination \"" + text + "\" is not a URL: write " + k.label()
                + "://" + example(k));
          }
        }
      }
      try {
        return DestinationUrl.local(Path.of(text));
      } catch (InvalidPathException e) {
        throw new DestinationException("destination \"" + text + "\" is not a valid path: " + e.getReason());
      }
    }
    String schemeText = text.substring(0, sep);
    if (!SCHEME.matcher(schemeText).matches()) {
      throw new DestinationException("destination \"" + text + "\" has a bad scheme \"" + schemeText + "\"");
    }
    Scheme scheme = scheme(schemeText.toLowerCase(Locale.ROOT));
    String rest = text.substring(sep + 3);
    if (rest.indexOf('#') >= 0) {
      throw new DestinationException(scheme.label() + " URL: '#' is not allowed (write %23 in names)");
    }
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    String userInfo = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      if (userInfo.indexOf(':') >= 0) {
        throw secretInUserInfo(scheme, userInfo.substring(0, userInfo.indexOf(':')));
      }
    }
    Map<String, String> params = query(scheme, query);
    return switch (scheme) {
      case LOCAL -> file(authority, userInfo, path, params);
      case SFTP, FTP, FTPS -> server(scheme, authority, userInfo, path, params);
      case S3 -> s3(authority, userInfo, path, params);
      case AZURE -> azure(authority, userInfo, path, params);
    };
  }

  private static Scheme scheme(String s) {
    for (Scheme k : Scheme.values()) {
      if (k.label().equals(s)) {
        return k;
      }
    }
    throw new DestinationException("unknown destination scheme \"" + s + "\": use a folder, file://, sftp://, "
        + "ftp://, ftps://, s3:// or azure://");
  }

  private static String example(Scheme k) {
    return switch (k) {
      case SFTP, FTP, FTPS -> "user@host:port/path";
      case S3 -> "bucket/prefix?endpoint=…&region=…";
      case AZURE -> "account/container/prefix";
      case LOCAL -> "/path";
    };
  }

  private static DestinationException secretInUserInfo(Scheme scheme, String user) {
    String where = switch (scheme) {
      case S3 -> "access-key and secret-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
      case AZURE -> "connection-string (or AZURE_STORAGE_CONNECTION_STRING)";
      default -> "password=…";
    };
    return new DestinationException(scheme.label() + " URL contains a password after \"" + decode(user, "user")
        + ":\": secrets never go in URLs; put " + where + " in a credentials file (--credentials FILE, chmod 600)");
  }

  private static Map<String, String> query(Scheme scheme, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String part : query.split("&", -1)) {
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq), "query parameter").toLowerCase(Locale.ROOT);
      if (SECRET_PARAMS.contains(k)) {
        throw new DestinationException(scheme.label() + " URL has a secret in its query (\"" + k + "=…\"): "
            + "secrets never go in URLs; put it in a credentials file (--credentials FILE, chmod 600)");
      }
      if (k.isEmpty()) {
        throw new DestinationException(scheme.label() + " URL has an empty query parameter");
      }
      if (eq < 0) {
        throw new DestinationException(scheme.label() + " URL: query parameter \"" + k + "\" has no value");
      }
      if (params.put(k, decode(part.substring(eq + 1), "query parameter " + k)) != null) {
        throw new DestinationException(scheme.label() + " URL: query parameter \"" + k + "\" is given twice");
      }
    }
    return params;
  }

  private static void onlyParams(Scheme scheme, Map<String, String> params, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (String k : params.keySet()) {
      if (!ok.contains(k)) {
        throw new DestinationException(scheme.label() + " URL: unknown query parameter \"" + k + "\""
            + (allowed.length == 0 ? " (" + scheme.label() + " URLs take none)" : " (known: "
                + String.join(", ", allowed) + ")"));
      }
    }
  }

  private static DestinationUrl file(String authority, String userInfo, String path, Map<String, String> params) {
    onlyParams(Scheme.LOCAL, params);
    if (userInfo != null || !(authority.isEmpty() || authority.equalsIgnoreCase("localhost"))) {
      throw new DestinationException("file URL names host \"" + (userInfo != null ? "…@" : "") + authority
          + "\": only local folders can be file URLs (file:///path)");
    }
    String p = decode(path, "path");
    if (p.isEmpty()) {
      throw new DestinationException("file URL has no path: write file:///path/to/folder");
    }
    try {
      return DestinationUrl.local(Path.of(p));
    } catch (InvalidPathException e) {
      throw new DestinationException("file URL: bad path \"" + p + "\": " + e.getReason());
    }
  }

  private static DestinationUrl server(Scheme scheme, String authority, String userInfo, String path,
      Map<String, String> params) {
    onlyParams(scheme, params);
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      if (end < 0) {
        throw new DestinationException(scheme.label() + " URL: host \"" + authority + "\" lacks the closing ']'");
      }
      host = authority.substring(1, end);
      if (!IPV6.matcher(host).matches()) {
        throw new DestinationException(scheme.label() + " URL: bad IPv6 host \"" + host + "\"");
      }
      String after = authority.substring(end + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new DestinationException(scheme.label() + " URL: unexpected \"" + after + "\" after the host");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      if (host.isEmpty()) {
        throw new DestinationException(scheme.label() + " URL has no host: write " + scheme.label() + "://"
            + example(scheme));
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new DestinationException(scheme.label() + " URL: bad host \"" + host + "\"");
      }
    }
    int port = scheme.defaultPort();
    if (portText != null) {
      port = port(scheme, portText);
    }
    String user;
    if (userInfo != null) {
      user = decode(userInfo, "user");
      if (user.isEmpty()) {
        throw new DestinationException(scheme.label() + " URL has an empty user before '@'");
      }
      if (user.startsWith("-") || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c))) {
        // never handed to a shell or an ssh command line, but a name like "-oProxyCommand=..." is an attack
        throw new DestinationException(scheme.label() + " URL: the user may not start with '-' or contain spaces or "
            + "control characters");
      }
    } else {
      user = scheme == Scheme.SFTP ? System.getProperty("user.name", "root") : "anonymous";
    }
    String root = scheme == Scheme.SFTP ? remoteRoot(scheme, decode(path, "path")) : ftpRoot(scheme, path);
    return new DestinationUrl(scheme, null, user, host.toLowerCase(Locale.ROOT), port, root, null, null, null, null,
        null, null, false);
  }

  private static int port(Scheme scheme, String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new DestinationException(scheme.label() + " URL: bad port \"" + text + "\" (a number from 1 to 65535)");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new DestinationException(scheme.label() + " URL: port " + port + " is out of range (1 to 65535)");
    }
    return port;
  }

  /**
   * An FTP path as RFC 1738 and curl read it: relative to the login folder ("/backups" → "backups",
   * "" or "/" → the login folder), absolute when its first segment starts with an encoded slash
   * ("/%2Fsrv/backups" → "/srv/backups", "/%2F" → "/"); "/~/a" is still the relative "a".
   */
  private static String ftpRoot(Scheme scheme, String raw) {
    if (raw.regionMatches(true, 0, "/%2F", 0, 4)) {
      String body = decode(raw.substring(4), "path");
      while (body.startsWith("/")) {
        body = body.substring(1);
      }
      checkSegments(scheme, "path", strip(body), raw);
      return "/" + strip(body);
    }
    String path = decode(raw, "path");
    if (path.isEmpty() || path.equals("/") || path.startsWith("/~")) {
      return remoteRoot(scheme, path.equals("/") ? "" : path);
    }
    String body = path.substring(1);
    checkSegments(scheme, "path", strip(body), path);
    return strip(body);
  }

  /** "" → login folder; "/~" → login folder; "/~/a/b" → "a/b"; "/a/b/" → "/a/b"; "/" → "/". */
  private static String remoteRoot(Scheme scheme, String path) {
    if (path.isEmpty() || path.equals("/~") || path.equals("/~/")) {
      return "";
    }
    if (path.equals("/")) {
      return "/";
    }
    boolean relative = path.startsWith("/~/");
    String body = relative ? path.substring(3) : path.substring(1);
    checkSegments(scheme, "path", strip(body), path);
    return relative ? strip(body) : "/" + strip(body);
  }

  private static String strip(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  private static void checkSegments(Scheme scheme, String what, String body, String shown) {
    if (body.isEmpty()) {
      return;
    }
    for (String seg : body.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new DestinationException(scheme.label() + " URL: bad " + what + " \"" + shown
            + "\" (empty, '.' or '..' segment)");
      }
      if (seg.indexOf('\\') >= 0) {
        throw new DestinationException(scheme.label() + " URL: bad " + what + " \"" + shown + "\" (backslash)");
      }
    }
  }

  private static DestinationUrl s3(String authority, String userInfo, String path, Map<String, String> params) {
    if (userInfo != null) {
      throw new DestinationException("s3 URL takes no user: access keys come from the credentials file "
          + "(access-key, secret-key) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    onlyParams(Scheme.S3, params, "endpoint", "region", "style", "proxy");
    if (authority.isEmpty()) {
      throw new DestinationException("s3 URL has no bucket: write s3://bucket/prefix");
    }
    if (authority.indexOf(':') >= 0) {
      throw new DestinationException("s3 URL: bad bucket \"" + authority + "\" (a port belongs in "
          + "?endpoint=http://host:port)");
    }
    if (!BUCKET.matcher(authority).matches() || authority.contains("..") || IPV4.matcher(authority).matches()) {
      throw new DestinationException("s3 URL: bad bucket name \"" + authority + "\" (3 to 63 lowercase letters, "
          + "digits, dots and hyphens, starting and ending with a letter or digit)");
    }
    String prefix = prefix(Scheme.S3, decode(path, "prefix"));
    URI endpoint = params.containsKey("endpoint") ? endpoint(Scheme.S3, params.get("endpoint")) : null;
    String region = params.get("region");
    if (region != null && !REGION.matcher(region).matches()) {
      throw new DestinationException("s3 URL: bad region \"" + region + "\" (such as us-east-1)");
    }
    boolean pathStyle = endpoint != null;
    String style = params.get("style");
    if (style != null) {
      switch (style.toLowerCase(Locale.ROOT)) {
        case "path" -> pathStyle = true;
        case "virtual" -> pathStyle = false;
        default -> throw new DestinationException("s3 URL: bad style \"" + style + "\" (path or virtual)");
      }
    }
    return new DestinationUrl(Scheme.S3, null, null, null, 0, null, authority, null, null, prefix, endpoint, region,
        pathStyle, proxy(Scheme.S3, params.get("proxy")));
  }

  private static DestinationUrl azure(String authority, String userInfo, String path, Map<String, String> params) {
    if (userInfo != null) {
      throw new DestinationException("azure URL takes no user: the account key comes from the credentials file "
          + "(connection-string) or AZURE_STORAGE_CONNECTION_STRING");
    }
    onlyParams(Scheme.AZURE, params, "endpoint", "proxy");
    if (authority.isEmpty()) {
      throw new DestinationException("azure URL has no account: write azure://account/container/prefix");
    }
    if (!ACCOUNT.matcher(authority).matches()) {
      throw new DestinationException("azure URL: bad account name \"" + authority + "\" (3 to 24 lowercase "
          + "letters and digits)");
    }
    String p = decode(path, "path");
    String body = p.startsWith("/") ? p.substring(1) : p;
    int slash = body.indexOf('/');
    String container = slash < 0 ? body : body.substring(0, slash);
    if (container.isEmpty()) {
      throw new DestinationException("azure URL has no container: write azure://account/container/prefix");
    }
    if (!CONTAINER.matcher(container).matches() || container.contains("--")) {
      throw new DestinationException("azure URL: bad container name \"" + container + "\" (3 to 63 lowercase "
          + "letters, digits and single hyphens, starting and ending with a letter or digit)");
    }
    String prefix = prefix(Scheme.AZURE, slash < 0 ? "" : body.substring(slash));
    URI endpoint = params.containsKey("endpoint") ? endpoint(Scheme.AZURE, params.get("endpoint")) : null;
    return new DestinationUrl(Scheme.AZURE, null, null, null, 0, null, null, authority, container, prefix, endpoint,
        null, false, proxy(Scheme.AZURE, params.get("proxy")));
  }

  /** {@code proxy=http://host:port}; a login in it is refused (it belongs in the credentials file). */
  private static HttpProxy proxy(Scheme scheme, String text) {
    if (text == null) {
      return null;
    }
    try {
      return HttpProxy.parse(text);
    } catch (IllegalArgumentException e) {
      throw new DestinationException(scheme.label() + " URL: bad proxy: " + e.getMessage());
    }
  }

  /** "/a/b/" → "a/b"; "" and "/" → "". */
  private static String prefix(Scheme scheme, String path) {
    String body = strip(path.startsWith("/") ? path.substring(1) : path);
    checkSegments(scheme, "prefix", body, path);
    return body;
  }

  private static URI endpoint(Scheme scheme, String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new DestinationException(scheme.label() + " URL: bad endpoint \"" + text + "\" (such as "
          + "http://127.0.0.1:9000)");
    }
    String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!s.equals("http") && !s.equals("https")) {
      throw new DestinationException(scheme.label() + " URL: endpoint \"" + text + "\" must start with http:// or "
          + "https://");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new DestinationException(scheme.label() + " URL: endpoint \"" + text + "\" has no host (or a bad one)");
    }
    if (u.getRawUserInfo() != null) {
      throw new DestinationException(scheme.label() + " URL: the endpoint must not hold a user or password; "
          + "put secrets in a credentials file (--credentials FILE, chmod 600)");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new DestinationException(scheme.label() + " URL: endpoint \"" + text + "\" must not have a query");
    }
    return u;
  }

  /** Decodes %XX escapes (UTF-8); '+' stays a plus. */
  static String decode(String s, String what) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
            || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw new DestinationException("bad %-escape in the " + what + " of a destination URL");
        }
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    String r = out.toString(StandardCharsets.UTF_8);
    for (int i = 0; i < r.length(); i++) {
      if (Character.isISOControl(r.charAt(i))) {
        throw new DestinationException("the " + what + " of a destination URL contains a control character");
      }
    }
    return r;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }
}
