package au.com.backup247.agent.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Who asked: the account behind an API request, as the API attaches it to every request it
 * forwards on the event bus ({@code "caller": {...}} in the body, always set by the API and never
 * taken from the client). Services use it to decide what the request may see and do.
 *
 * <p>A request on the bus without a caller comes from inside the agent (the scheduler, a job) and
 * has every right: the bus is not reachable from outside the agent.
 *
 * <pre>
 * {"userId": 12 | null, "login": "alice", "role": "admin" | "user",
 *  "folders": ["/home/alice"], "language": "en", "encryptionRecovery": false}
 * </pre>
 *
 * @param userId the account's id; null for the local token (whoever can read the agent home)
 * @param login the account's login name; {@code "local"} for the local token
 * @param role admin or user
 * @param folders absolute folders a user may back up from and restore to (admins: anywhere)
 * @param language the account's language tag, e.g. {@code en}
 * @param encryptionRecovery the account's new sets' keys are also sealed to the recovery key (ch. 9.1.4)
 */
public record Caller(Long userId, String login, Role role, List<String> folders, String language,
    boolean encryptionRecovery) {

  /** An account's role: admins see and do everything; users only their own sets and folders. */
  public enum Role {
    ADMIN, USER;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code admin} or {@code user}. */
    public static Role of(String s) {
      return switch (String.valueOf(s)) {
        case "admin" -> ADMIN;
        case "user" -> USER;
        default -> throw new IllegalArgumentException("role must be admin or user, got \"" + s + "\"");
      };
    }
  }

  /** The field of a bus body that carries the caller. */
  public static final String FIELD = "caller";

  /** Local tools holding the API token of {@code <home>/run/api-token}: the machine's owner. */
  public static final Caller LOCAL = new Caller(null, "local", Role.ADMIN, List.of(), "en");

  /** The agent itself (scheduler, jobs): a request without a caller. */
  public static final Caller SYSTEM = new Caller(null, "system", Role.ADMIN, List.of(), "en");

  /** A caller without encryption recovery. */
  public Caller(Long userId, String login, Role role, List<String> folders, String language) {
    this(userId, login, role, folders, language, false);
  }

  public Caller {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(role, "role");
    folders = List.copyOf(folders);
    language = language == null ? "en" : language;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Whether this caller may see and run a set owned by {@code ownerUserId} (null: owned by the admins). */
  public boolean mayUseSetOf(Long ownerUserId) {
    return isAdmin() || (userId != null && userId.equals(ownerUserId));
  }

  /**
   * Whether {@code path} (absolute) lies in one of the caller's folders; always true for admins.
   * The path is normalised first, so {@code /home/alice/../bob} is not under {@code /home/alice}.
   */
  public boolean mayUsePath(String path) {
    if (isAdmin()) {
      return true;
    }
    Path p = Path.of(path).normalize();
    if (!p.isAbsolute()) {
      return false;
    }
    for (String f : folders) {
      if (p.startsWith(Path.of(f).normalize())) {
        return true;
      }
    }
    return false;
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("login", login).put("role", role.json())
        .put("folders", new JsonArray(folders)).put("language", language)
        .put("encryptionRecovery", encryptionRecovery);
  }

  public static Caller fromJson(JsonObject o) {
    JsonArray f = o.getJsonArray("folders", new JsonArray());
    return new Caller(o.getLong("userId"), o.getString("login"), Role.of(o.getString("role")),
        f.stream().map(String::valueOf).toList(), o.getString("language"), o.getBoolean("encryptionRecovery", false));
  }

  /** The caller of a bus request: its {@code caller} field, or {@link #SYSTEM} when there is none. */
  public static Caller of(JsonObject body) {
    JsonObject c = body == null ? null : body.getJsonObject(FIELD);
    return c == null ? SYSTEM : fromJson(c);
  }
}
