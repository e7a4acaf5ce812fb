package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An account as the catalog stores it (migration V004). The catalog does not interpret
 * {@code profile} or {@code security}; the auth service owns their format (docs/SECURITY.md).
 *
 * @param id the account's id (0 for a row not yet inserted)
 * @param login the login name as typed at creation
 * @param displayName the name shown for the account
 * @param role {@code admin} or {@code user}
 * @param passwordHash a PHC string
 * @param profile JSON text: time zone, language, contacts, folders, last login, ...
 * @param security JSON text: second factors (sealed secrets), recovery code hashes
 * @param version bumped by every update
 * @param createdAt epoch milliseconds
 * @param updatedAt epoch milliseconds
 */
public record UserRow(long id, String login, String displayName, String role, String passwordHash, String profile,
    String security, int version, long createdAt, long updatedAt) {
  public UserRow {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(security, "security");
  }

  /** The form logins are compared in (unique ignoring case), as set names. */
  public static String loginKey(String login) {
    return SetRow.nameKey(login);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("login", login).put("displayName", displayName).put("role", role)
        .put("passwordHash", passwordHash).put("profile", profile).put("security", security).put("version", version)
        .put("createdAt", createdAt).put("updatedAt", updatedAt);
  }

  public static UserRow fromJson(JsonObject o) {
    return new UserRow(o.getLong("id", 0L), o.getString("login"), o.getString("displayName"), o.getString("role"),
        o.getString("passwordHash"), o.getString("profile"), o.getString("security"), o.getInteger("version", 0),
        o.getLong("createdAt"), o.getLong("updatedAt"));
  }
}
