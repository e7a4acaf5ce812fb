package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every request must carry before anything reads it (docs/SECURITY.md §5, steps 1–3):
 *
 * <ol>
 * <li>a Host the agent answers to: loopback names, an IP address (DNS rebinding needs a name),
 * {@code api.host} and {@code api.allowedHosts} — else 403 naming the host;</li>
 * <li>no foreign Origin: a browser's request from another origin, or a cross-site one with an unsafe
 * method, is refused unless {@code api.allowedOrigins} lists the origin (which then gets CORS headers);</li>
 * <li>POST, PUT and PATCH bodies declared {@code application/json} (415 otherwise), so a form or a
 * {@code text/plain} cross-site POST is never parsed as JSON.</li>
 * </ol>
 */
final class RequestGuard {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private final Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1"));
  private final Set<String> origins = new HashSet<>();
  private final boolean tls;

  RequestGuard(String apiHost, List<String> allowedHosts, List<String> allowedOrigins, boolean tls) {
    if (apiHost != null && !apiHost.equals("0.0.0.0") && !apiHost.equals("::")) {
      hosts.add(apiHost.toLowerCase(Locale.ROOT));
    }
    allowedHosts.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
    allowedOrigins.forEach(o -> origins.add(o.toLowerCase(Locale.ROOT)));
    this.tls = tls;
  }

  /** Steps 1 and 2, for every request (console pages too). */
  void hostAndOrigin(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    // HTTP/1.1 Host or HTTP/2 :authority (Java's HTTP client upgrades to h2c)
    HostAndPort authority = req.authority();
    String host = authority == null ? req.getHeader("Host")
        : authority.port() < 0 ? authority.host() : authority.toString();
    String name = hostName(host);
    if (name == null || !(hosts.contains(name) || IPV4.matcher(name).matches() || name.contains(":"))) {
      ApiErrors.send(ctx.response(), Failure.FORBIDDEN, Messages.get(ApiVerticle.language(ctx), "guard.host", host));
      return;
    }
    String origin = req.getHeader("Origin");
    boolean unsafe = !(req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD
        || req.method() == HttpMethod.OPTIONS);
    if (origin != null) {
      String o = origin.toLowerCase(Locale.ROOT);
      boolean own = o.equals((tls ? "https://" : "http://") + host.toLowerCase(Locale.ROOT));
      if (origins.contains(o)) {
        cors(ctx, origin);
        if (req.method() == HttpMethod.OPTIONS) {
          ctx.response().setStatusCode(204).end();
          return;
        }
      } else if (!own) {
        ApiErrors.send(ctx.response(), Failure.FORBIDDEN, Messages.get(ApiVerticle.language(ctx), "guard.origin",
            origin));
        return;
      }
    } else if (unsafe && "cross-site".equals(req.getHeader("Sec-Fetch-Site"))) {
      ApiErrors.send(ctx.response(), Failure.FORBIDDEN, Messages.get(ApiVerticle.language(ctx), "guard.crossSite"));
      return;
    }
    ctx.next();
  }

  /** Step 3, for the API's routes. */
  static void jsonBody(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) {
      String type = ctx.request().getHeader("Content-Type");
      String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (!base.equals("application/json")) {
        ApiErrors.send(ctx.response(), Failure.UNSUPPORTED_MEDIA_TYPE, Messages.get(ApiVerticle.language(ctx),
            "guard.json") + (type == null ? "" : ": " + type));
        return;
      }
    }
    ctx.next();
  }

  private static void cors(RoutingContext ctx, String origin) {
    ctx.response().putHeader("Access-Control-Allow-Origin", origin)
        .putHeader("Access-Control-Allow-Credentials", "true")
        .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
        .putHeader("Access-Control-Allow-Headers", "Content-Type, Authorization, X-CSRF-Token")
        .putHeader("Vary", "Origin");
  }

  /** The name part of a Host header, lower case, without port or IPv6 brackets; null when unusable. */
  static String hostName(String host) {
    if (host == null || host.isBlank() || host.length() > 255) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
