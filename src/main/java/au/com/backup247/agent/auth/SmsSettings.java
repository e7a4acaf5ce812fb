package au.com.backup247.agent.auth;

import au.com.backup247.agent.config.ConfigException;
import au.com.backup247.agent.home.SecretFiles;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SMS gateway settings, the {@code auth.sms} object of agent.json:
 * <pre>
 * "sms": { "enabled": false, "provider": "twilio", "baseUrl": "https://api.twilio.com",
 *          "accountSid": "AC0123…", "authTokenFile": "config/sms.token", "from": "+15005550006" }
 * </pre>
 * {@code accountSid}, {@code authTokenFile} and {@code from} are required when enabled.
 * {@code baseUrl} may name a Twilio-compatible service; plain {@code http} only on loopback (the
 * token goes in every request). {@code from} is an E.164 number or an alphanumeric sender id (1–11
 * letters, digits, spaces). The token is never in agent.json: {@code authTokenFile} names a file,
 * relative to the agent home unless absolute, that only its owner may read ({@link #authToken}).
 */
record SmsSettings(boolean enabled, String provider, String baseUrl, String accountSid, String authTokenFile,
    String from) {
  static final String DEFAULT_BASE_URL = "https://api.twilio.com";
  private static final List<String> KEYS = List.of("enabled", "provider", "baseUrl", "accountSid", "authTokenFile",
      "from");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

  /** Off, with the defaults. */
  public static SmsSettings disabled() {
    return fromJson(new JsonObject(), "defaults");
  }

  /**
   * Parses and validates {@code sms} (null: the defaults); errors name the key, e.g.
   * {@code agent.json: auth.sms.from must be …}; {@code source} names the file.
   *
   * @throws ConfigException on an unknown key, a value of the wrong type or a bad value
   */
  public static SmsSettings fromJson(JsonObject sms, String source) {
    JsonObject json = sms == null ? new JsonObject() : sms;
    for (String k : new TreeSet<>(json.fieldNames())) {
      if (!KEYS.contains(k)) {
        throw fail(source, k, "is not a setting (known: " + String.join(", ", KEYS) + ")");
      }
    }
    Object on = json.getValue("enabled", false);
    if (!(on instanceof Boolean enabled)) {
      throw fail(source, "enabled", "must be true or false");
    }
    String provider = string(json, "provider", "twilio", source);
    if (!provider.equals("twilio")) {
      throw fail(source, "provider", "must be \"twilio\" (the only gateway so far), got \"" + provider + "\"");
    }
    String baseUrl = baseUrl(string(json, "baseUrl", DEFAULT_BASE_URL, source), source);
    String sid = string(json, "accountSid", null, source);
    String tokenFile = string(json, "authTokenFile", null, source);
    String from = string(json, "from", null, source);
    if (sid != null && !sid.matches("[A-Za-z0-9-]{1,64}")) {
      throw fail(source, "accountSid", "must be letters, digits and dashes (Twilio's look like AC and 32 hex digits)");
    }
    if (from != null && !SmsPasscodes.isPhoneNumber(from) && !from.matches("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")) {
      throw fail(source, "from", "must be a phone number in international format (+15005550006) or a sender id of "
          + "1 to 11 letters and digits, got \"" + from + "\"");
    }
    for (String[] required : new String[][] {{"accountSid", sid}, {"authTokenFile", tokenFile}, {"from", from}}) {
      if (enabled && required[1] == null) {
        throw fail(source, required[0], "must be set when auth.sms.enabled is true");
      }
    }
    return new SmsSettings(enabled, provider, baseUrl, sid, tokenFile, from);
  }

  /** The auth token: the first line of {@code authTokenFile}, refused unless only its owner may read it. Blocking. */
  public String authToken(Path home) {
    if (authTokenFile == null) {
      throw new ConfigException("auth.sms.authTokenFile is not set");
    }
    return SecretFiles.firstLine(home.resolve(authTokenFile), "auth.sms.authTokenFile");
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("provider", provider).put("baseUrl", baseUrl)
        .put("accountSid", accountSid).put("authTokenFile", authTokenFile).put("from", from);
  }

  private static String baseUrl(String url, String source) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      u = null;
    }
    boolean https = u != null && "https".equals(u.getScheme());
    if (u == null || u.getHost() == null || u.getQuery() != null || u.getFragment() != null
        || !(https || ("http".equals(u.getScheme()) && LOOPBACK.contains(u.getHost())))) {
      throw fail(source, "baseUrl", "must be an https URL without query (http only on loopback), got \"" + url + "\"");
    }
    return url.replaceAll("/+$", "");
  }

  private static String string(JsonObject json, String key, String def, String source) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw fail(source, key, "must be a non-empty string");
    }
    return s.strip();
  }

  private static ConfigException fail(String source, String key, String what) {
    return new ConfigException(source + ": auth.sms." + key + " " + what);
  }
}
