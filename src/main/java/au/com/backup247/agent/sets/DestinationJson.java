package au.com.backup247.agent.sets;

import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import au.com.backup247.agent.destination.DestinationException;
import au.com.backup247.agent.destination.DestinationUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON form of {@link Destinations}, three top-level keys of a set:
 *
 * <pre>
 * "destinations": [                               one to 16
 *   {"name": "Local-1", "url": "file:///mnt/usb/b247"},     or a plain absolute path
 *   {"name": "Office", "url": "sftp://backup@nas:22/srv/b247", "credentials": "stored"}
 * ],
 * "backupMode": "sequential",                     sequential (default) | concurrent
 * "maxConcurrentDestinations": 2                  1..16, default 2 (used in concurrent mode)
 * </pre>
 * A URL never holds a password: a destination's credentials are stored for its set apart
 * ({@link SetCredentials}, {@code PUT /sets/{id}/destinations/{name}/credentials}); the set's JSON
 * only says {@code "credentials": "stored"} when they are (read-only: ignored on input).
 * {@code credentialsRef} (a credentials file shared by any set that named it) is refused; sets
 * stored with it are moved to their own credentials when the sets service starts.
 */
final class DestinationJson {
  /** The key of earlier versions that named a credentials file under {@code credentials/}. */
  static final String LEGACY_REF = "credentialsRef";
  private static final Set<String> KEYS = Set.of("name", "url", "credentials", LEGACY_REF);
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?i)(^|&)[a-z_-]*(pass|secret|key|token|sig|sas|credential)[a-z_-]*=");
  static final String STORE_HINT = "store the destination's credentials for this set with b247 set credentials ID "
      + "--destination NAME --file FILE (PUT /api/v1/sets/{id}/destinations/{name}/credentials)";
  static final int MAX_DESTINATIONS = 16;

  private DestinationJson() {
  }

  static Destinations decode(SetFields top, List<FieldError> errors) {
    List<Destinations.Target> targets = new ArrayList<>();
    List<JsonObject> items = top.objects("destinations", MAX_DESTINATIONS);
    Object given = top.raw("destinations");
    if (given == null || given instanceof JsonArray a && a.isEmpty()) {
      top.error("destinations", "v.destinations");
    }
    Set<String> names = new HashSet<>();
    Set<String> urls = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null) {
        Destinations.Target t = target(new SetFields(items.get(i), "destinations[" + i + "]", errors), names, urls);
        if (t != null) {
          targets.add(t);
        }
      }
    }
    Destinations.Mode mode = top.label("backupMode", Destinations.Mode.values(), Destinations.Mode.SEQUENTIAL);
    int max = top.integer("maxConcurrentDestinations", Destinations.DEFAULT_MAX_CONCURRENT, 1, MAX_DESTINATIONS);
    return new Destinations(mode, max, targets);
  }

  /**
   * One destination on its own, by the rules of a set's (a destination to test before its set is
   * saved); its errors name {@code path} ({@code destination.url}). Null when it is not valid.
   */
  static Destinations.Target decodeOne(JsonObject json, String path, List<FieldError> errors) {
    return target(new SetFields(json, path, errors), new HashSet<>(), new HashSet<>());
  }

  private static Destinations.Target target(SetFields f, Set<String> names, Set<String> urls) {
    f.rejectUnknown(KEYS, "a destination setting");
    String name = f.text("name", true, 64);
    if (name != null && !names.add(SetFields.fold(name))) {
      f.error("name", "v.destination.dup", name);
    }
    String url = f.text("url", true, 2048);
    if (url != null) {
      FieldError.Problem problem = urlProblem(url);
      if (problem != null) {
        f.error("url", problem);
        url = null;
      } else if (!urls.add(url)) {
        f.error("url", "v.destination.dup", url);
      }
    }
    if (f.has(LEGACY_REF)) {
      f.error(LEGACY_REF, "v.credentialsRef");
    }
    Object stored = f.raw("credentials");
    if (stored != null && !"stored".equals(stored)) {
      f.error("credentials", "v.credentials.readOnly");
    }
    return name == null || url == null ? null : new Destinations.Target(name, url);
  }

  /**
   * Why {@code url} is not a usable destination address, or null. A plain absolute path is a local
   * folder (as {@code file://}). Only the form is checked here; whether the destination answers is
   * for a connection test.
   */
  static FieldError.Problem urlProblem(String url) {
    if (url.startsWith("/")) {
      Path p = Path.of(url);
      return p.equals(p.normalize()) ? null : FieldError.problem("v.dots", url);
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return FieldError.problem("v.url", e.getReason());
    }
    if (u.getScheme() == null || !SCHEME.matcher(u.getScheme()).matches()) {
      return FieldError.problem("v.url.scheme", url);
    }
    if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
      return FieldError.problem("v.url.password");
    }
    if (u.getRawQuery() != null && SECRET_PARAM.matcher(u.getRawQuery()).find()) {
      return FieldError.problem("v.url.secret");
    }
    if (u.getScheme().equals("file")) {
      return u.getPath() == null || !u.getPath().startsWith("/") || u.getRawQuery() != null
          ? FieldError.problem("v.url.file") : null;
    }
    if (u.getHost() == null && u.getRawAuthority() == null) {
      return FieldError.problem("v.url.host");
    }
    try {
      DestinationUrl.parse(url); // the rules every destination URL follows, as in the CLI
      return null;
    } catch (DestinationException e) {
      return FieldError.problem("v.url.destination", e.getMessage());
    }
  }

  static void encode(Destinations d, JsonObject out) {
    JsonArray list = new JsonArray();
    for (Destinations.Target t : d.targets()) {
      list.add(new JsonObject().put("name", t.name()).put("url", t.url()));
    }
    out.put("destinations", list).put("backupMode", d.mode().label())
        .put("maxConcurrentDestinations", d.maxConcurrent());
  }
}
