package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.catalog.UserRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An account as the auth service works with it: the catalog row with its two JSON documents
 * decoded. Immutable; changes make a new {@link Account} and are written with the version read.
 *
 * <pre>
 * profile:  {"timeZone": "Australia/Sydney" | null, "language": "en", "folders": ["/home/alice"],
 *            "contacts": [{"name", "email", "address", "company", "website", "phone1", "phone2"}],
 *            "encryptionRecovery": false,
 *            "lastLogin": {"time", "ip", "userAgent", "device"} | null}
 * security: {"twoFactor": false, "authenticators": [{"id", "type": "totp" | "sms", "name",
 *            "secret" (sealed), "phone" (sealed), "phoneMasked", "confirmed", "lastStep", "createdAt", "lastUsed"}],
 *            "recoveryCodes": [{"hash", "usedAt"}]}
 * </pre>
 */
record Account(UserRow row, JsonObject profile, JsonObject security) {

  public static Account of(UserRow row) {
    return new Account(row, new JsonObject(row.profile()), new JsonObject(row.security()));
  }

  public long id() {
    return row.id();
  }

  public String login() {
    return row.login();
  }

  public boolean admin() {
    return "admin".equals(row.role());
  }

  public String language() {
    return profile.getString("language", "en");
  }

  public List<String> folders() {
    return profile.getJsonArray("folders", new JsonArray()).stream().map(String::valueOf).toList();
  }

  public boolean twoFactorOn() {
    return security.getBoolean("twoFactor", false) && !confirmedAuthenticators().isEmpty();
  }

  /** The confirmed second factors (TOTP apps, SMS numbers). */
  public List<JsonObject> confirmedAuthenticators() {
    return security.getJsonArray("authenticators", new JsonArray()).stream().map(o -> (JsonObject) o)
        .filter(a -> a.getBoolean("confirmed", false)).toList();
  }

  /** Who this account is for the services behind the API. */
  public Caller caller() {
    return new Caller(id(), login(), Caller.Role.of(row.role()), folders(), language(),
        profile.getBoolean("encryptionRecovery", false));
  }

  /** A copy with new documents and fields, to be written with this account's version. */
  public Account with(String displayName, String role, String passwordHash, JsonObject profile, JsonObject security,
      long now) {
    UserRow r = new UserRow(row.id(), row.login(), displayName, role, passwordHash, profile.encode(),
        security.encode(), row.version(), row.createdAt(), now);
    return new Account(r, profile.copy(), security.copy());
  }

  /** A copy with other documents. */
  public Account with(JsonObject profile, JsonObject security, long now) {
    return with(row.displayName(), row.role(), row.passwordHash(), profile, security, now);
  }

  /**
   * What the API shows of an account: never the password hash, a secret or a code.
   *
   * <pre>
   * {"id", "login", "displayName", "role", "timeZone", "language", "folders", "twoFactor",
   *  "authenticators": [{"id", "type", "name", "phone" (masked), "confirmed", "createdAt", "lastUsed"}],
   *  "recoveryCodesLeft", "lastLogin", "encryptionRecovery", "createdAt"}
   * </pre>
   */
  public JsonObject view() {
    JsonArray auths = new JsonArray();
    for (Object o : security.getJsonArray("authenticators", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      auths.add(new JsonObject().put("id", a.getString("id")).put("type", a.getString("type"))
          .put("name", a.getString("name")).put("phone", a.getString("phoneMasked"))
          .put("confirmed", a.getBoolean("confirmed", false)).put("createdAt", a.getLong("createdAt"))
          .put("lastUsed", a.getLong("lastUsed")));
    }
    long codesLeft = security.getJsonArray("recoveryCodes", new JsonArray()).stream()
        .filter(o -> ((JsonObject) o).getLong("usedAt") == null).count();
    return new JsonObject().put("id", id()).put("login", login()).put("displayName", row.displayName())
        .put("role", row.role()).put("timeZone", profile.getString("timeZone")).put("language", language())
        .put("folders", new JsonArray(folders())).put("twoFactor", security.getBoolean("twoFactor", false))
        .put("authenticators", auths).put("recoveryCodesLeft", codesLeft)
        .put("lastLogin", profile.getJsonObject("lastLogin"))
        .put("encryptionRecovery", profile.getBoolean("encryptionRecovery", false))
        .put("createdAt", row.createdAt());
  }
}
