package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A login session or a remembered device ("Save password") as the catalog stores it (migration
 * V004). Only the SHA-256 of the token is kept, so the catalog cannot be used to log in.
 *
 * @param tokenHash hex SHA-256 of the token
 * @param publicId the id that names the session in listings (not a secret)
 * @param userId the account
 * @param kind {@code session} or {@code remembered}
 * @param csrf the CSRF token of a browser session (null for others)
 * @param createdAt epoch milliseconds
 * @param lastSeen epoch milliseconds of the last request (updated at most once a minute)
 * @param expiresAt the absolute end, epoch milliseconds
 * @param client JSON text {@code {"ip", "userAgent", "device"}}
 */
public record SessionRow(String tokenHash, String publicId, long userId, String kind, String csrf, long createdAt,
    long lastSeen, long expiresAt, String client) {
  public SessionRow {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(publicId, "publicId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(client, "client");
  }

  public JsonObject toJson() {
    return new JsonObject().put("tokenHash", tokenHash).put("publicId", publicId).put("userId", userId)
        .put("kind", kind).put("csrf", csrf).put("createdAt", createdAt).put("lastSeen", lastSeen)
        .put("expiresAt", expiresAt).put("client", client);
  }

  public static SessionRow fromJson(JsonObject o) {
    return new SessionRow(o.getString("tokenHash"), o.getString("publicId"), o.getLong("userId"), o.getString("kind"),
        o.getString("csrf"), o.getLong("createdAt"), o.getLong("lastSeen"), o.getLong("expiresAt"),
        o.getString("client"));
  }
}
