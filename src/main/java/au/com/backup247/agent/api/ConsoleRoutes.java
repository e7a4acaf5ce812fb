package au.com.backup247.agent.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The web console's files and the headers every answer carries (docs/CONSOLE.md).
 *
 * <p>The console is {@code webroot/index.html} plus the files under {@code webroot/assets/}, read
 * once from the agent's own jar (never from the working directory, so nothing beside the agent can
 * replace them) and served from memory at {@code /assets/...} with an ETag. Any other GET that is not
 * under {@code /api/} and looks like a console path ({@code /}, {@code /sets/12}, {@code /login}) gets
 * {@code index.html}, so a deep link survives a reload; the page's script routes it.
 *
 * <p>Libraries come as WebJars through Maven and are served the same way under {@code /assets/vendor/}:
 * only the files {@link #VENDOR} names, read from the WebJar in the jar (Chart.js for the charts).
 *
 * <p>Every answer, API or console, says: no inline script or style, nothing from another origin, never
 * inside a frame ({@code frame-ancestors 'none'} and {@code X-Frame-Options: DENY}), no referrer.
 */
final class ConsoleRoutes {
  /** The Content-Security-Policy of every answer. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";
  private static final String ROOT = "webroot/assets/";
  /** {@code /assets/vendor/NAME} → WebJar (group:artifact) and the file in it under {@code <version>/}. */
  private static final Map<String, String[]> VENDOR = Map.of(
      "vendor/chart.umd.min.js", new String[] {"org.webjars.npm", "chart.js", "dist/chart.umd.min.js"});
  private static final Map<String, Asset> ASSETS = load();
  private static final Buffer INDEX = Buffer.buffer(ApiVerticle.resource("webroot/index.html"));

  private ConsoleRoutes() {
  }

  private record Asset(Buffer bytes, String type, String etag) {
  }

  /** Puts the security headers on every answer. */
  static void headers(RoutingContext ctx) {
    ctx.response().putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
    ctx.next();
  }

  /** The console's public routes: its files and the deep-link pages. */
  static void mount(Router router) {
    router.get("/assets/*").handler(ConsoleRoutes::asset);
    router.getWithRegex("/(?!api/|assets/)[A-Za-z0-9/_-]*").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-cache")
        .end(INDEX));
  }

  private static void asset(RoutingContext ctx) {
    String name = ctx.normalizedPath().substring("/assets/".length());
    Asset a = ASSETS.get(name);
    if (a == null) {
      ctx.fail(404);
      return;
    }
    var resp = ctx.response().putHeader("Cache-Control", "no-cache").putHeader("ETag", a.etag());
    if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      resp.setStatusCode(304).end();
      return;
    }
    resp.putHeader("Content-Type", a.type()).end(a.bytes());
  }

  /** Every file under webroot/assets of the class path (a folder in development, the jar when installed). */
  private static Map<String, Asset> load() {
    URL url = ConsoleRoutes.class.getClassLoader().getResource(ROOT);
    if (url == null) {
      throw new IllegalStateException("the console's files (" + ROOT + ") are missing from the agent's jar");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          return withVendor(read(fs.getPath("/" + ROOT)));
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
          return withVendor(read(FileSystems.getFileSystem(uri).getPath("/" + ROOT)));
        }
      }
      return withVendor(read(Path.of(uri)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's files: " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the console's files: " + url, e);
    }
  }

  /** The assets plus each {@link #VENDOR} file, from its WebJar (its version from the WebJar's pom.properties). */
  private static Map<String, Asset> withVendor(Map<String, Asset> assets) throws IOException {
    Map<String, Asset> all = new TreeMap<>(assets);
    for (Map.Entry<String, String[]> v : VENDOR.entrySet()) {
      String[] w = v.getValue();
      Properties pom = new Properties();
      try (InputStream in = resource("META-INF/maven/" + w[0] + "/" + w[1] + "/pom.properties")) {
        pom.load(in);
      }
      try (InputStream in = resource("META-INF/resources/webjars/" + w[1] + "/" + pom.getProperty("version") + "/"
          + w[2])) {
        byte[] bytes = in.readAllBytes();
        all.put(v.getKey(), new Asset(Buffer.buffer(bytes), type(v.getKey()), etag(bytes)));
      }
    }
    return Map.copyOf(all);
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException(name + " is missing from the agent's jar");
    }
    return in;
  }

  private static Map<String, Asset> read(Path root) throws IOException {
    Map<String, Asset> assets = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = root.relativize(p).toString().replace('\\', '/');
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p)) {
          bytes = in.readAllBytes();
        }
        assets.put(name, new Asset(Buffer.buffer(bytes), type(name), etag(bytes)));
      }
    }
    return Map.copyOf(assets);
  }

  private static String type(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return switch (ext) {
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "json" -> "application/json; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      default -> "application/octet-stream";
    };
  }

  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
