package au.com.backup247.agent.auth;

import io.vertx.core.json.JsonObject;

/**
 * Where a login comes from, as the API saw it: the client's address, its User-Agent, the
 * trusted-device cookie it sent (null when none) and the language it reads (for the answers).
 * Recorded as the account's last login.
 */
record Client(String ip, String userAgent, String deviceCookie, String language) {

  public JsonObject toJson() {
    return new JsonObject().put("ip", ip).put("userAgent", userAgent).put("deviceCookie", deviceCookie)
        .put("language", language);
  }

  public static Client fromJson(JsonObject o) {
    JsonObject c = o == null ? new JsonObject() : o;
    return new Client(c.getString("ip", "unknown"), c.getString("userAgent"), c.getString("deviceCookie"),
        c.getString("language", "en"));
  }

  /** The stored form of a session's client (no cookie). */
  JsonObject stored(String device) {
    return new JsonObject().put("ip", ip).put("userAgent", userAgent).put("device", device);
  }
}
