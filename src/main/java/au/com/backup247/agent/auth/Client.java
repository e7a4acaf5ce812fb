package au.com.backup247.agent.auth;

import io.vertx.core.json.JsonObject;

/**
 * Where a login comes from, as the API saw it: the client's address, its User-Agent and the
 * trusted-device cookie it sent (null when none). Recorded as the account's last login.
 */
public record Client(String ip, String userAgent, String deviceCookie) {

  public JsonObject toJson() {
    return new JsonObject().put("ip", ip).put("userAgent", userAgent).put("deviceCookie", deviceCookie);
  }

  public static Client fromJson(JsonObject o) {
    JsonObject c = o == null ? new JsonObject() : o;
    return new Client(c.getString("ip", "unknown"), c.getString("userAgent"), c.getString("deviceCookie"));
  }

  /** The stored form of a session's client (no cookie). */
  JsonObject stored(String device) {
    return new JsonObject().put("ip", ip).put("userAgent", userAgent).put("device", device);
  }
}
