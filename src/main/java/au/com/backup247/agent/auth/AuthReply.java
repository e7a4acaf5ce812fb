package au.com.backup247.agent.auth;

import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the login routes answer, as the auth service tells the API over the bus: an HTTP status, a
 * body, cookies to set and, for 429, the seconds to wait. Logins are the one place where a refusal
 * (401, 429) is a normal answer and where cookies are set, so they travel as a reply, not a failure.
 *
 * <pre>
 * {"status": 200 | 401 | 409 | 429, "body": {...}, "retryAfter"?: seconds,
 *  "cookies": [{"name", "value", "maxAge": seconds (0: remove), "httpOnly": true}]}
 * </pre>
 */
public final class AuthReply {
  private AuthReply() {
  }

  static JsonObject of(int status, JsonObject body) {
    return new JsonObject().put("status", status).put("body", body).put("cookies", new JsonArray());
  }

  static JsonObject refused(int status, String code, String message) {
    return of(status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
  }

  /** 401 with the one message that does not tell whether the login name exists. */
  static JsonObject wrongLogin(String lang) {
    return refused(401, "unauthorized", Messages.get(lang, "login.wrong"));
  }

  static JsonObject throttled(String lang, LoginThrottle.Verdict v) {
    return refused(429, "too_many_requests", Messages.get(lang, "login.throttled", v.retryAfterSeconds()))
        .put("retryAfter", v.retryAfterSeconds());
  }

  /** Adds a cookie (maxAge 0 removes it). */
  static JsonObject cookie(JsonObject reply, String name, String value, long maxAgeSeconds) {
    reply.getJsonArray("cookies").add(new JsonObject().put("name", name).put("value", value)
        .put("maxAge", maxAgeSeconds));
    return reply;
  }
}
