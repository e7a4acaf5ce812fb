package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * A backup set as the catalog stores it: id, name and the settings document (JSON text, never a
 * key). The catalog does not interpret the settings; the sets service owns their format.
 *
 * @param id the set's id (a millisecond timestamp, see the sets service)
 * @param name the set's name, unique ignoring case
 * @param json the settings document
 * @param createdAt epoch milliseconds
 * @param updatedAt epoch milliseconds
 * @param ownerId the account that owns the set; null: the admins' (created with the local token)
 */
public record SetRow(long id, String name, String json, long createdAt, long updatedAt, Long ownerId) {
  public SetRow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(json, "json");
  }

  /** A set owned by the admins. */
  public SetRow(long id, String name, String json, long createdAt, long updatedAt) {
    this(id, name, json, createdAt, updatedAt, null);
  }

  /** The form names are compared in: Unicode case folded (so "STRASSE" and "straße" clash too). */
  public static String nameKey(String name) {
    return name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }

  /** The bus form: {@code {"id", "name", "json", "createdAt", "updatedAt", "ownerId"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("json", json).put("createdAt", createdAt)
        .put("updatedAt", updatedAt).put("ownerId", ownerId);
  }

  /** Reads the bus form written by {@link #toJson()}. */
  public static SetRow fromJson(JsonObject o) {
    return new SetRow(o.getLong("id"), o.getString("name"), o.getString("json"), o.getLong("createdAt"),
        o.getLong("updatedAt"), o.getLong("ownerId"));
  }
}
