package au.com.backup247.agent.config;

import au.com.backup247.agent.home.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's own settings, read from {@code <home>/config/agent.json}: immutable, validated once.
 *
 * <pre>
 * {
 *   "api":      { "host": "127.0.0.1", "port": 7070, "maxBodyBytes": 1048576, "maxHeaderBytes": 8192,
 *                 "allowedHosts": [], "allowedOrigins": [], "eventKeepAliveSeconds": 15,
 *                 "tls": { "certFile": "config/tls/my.crt", "keyFile": "config/tls/my.key" } },
 *   "auth":     { "sessionIdleMinutes": 30, "sessionMaxHours": 12, "allowRememberDevice": false,
 *                 "rememberDays": 90, "sms": { ... } },
 *   "catalog":  { "type": "sqlite", "file": "catalog.db" },
 *   "logging":  { "level": "INFO", "maxFileMb": 10, "maxFiles": 10 },
 *   "shutdown": { "timeoutSeconds": 30 },
 *   "role":     "all",
 *   "mail":     { "enabled": false, "host": "localhost", "port": 25, "username": null, "passwordFile": null,
 *                 "starttls": "OPTIONAL", "from": null, "retries": 3 },   (starttls REQUIRED with a username)
 *   "contacts": [ { "name": "Ops", "email": "ops@example.com" } ],
 *   "schedule": { "timeZone": "system" },
 *   "encryptionRecovery": { "publicKeyFile": "config/recovery-public.pem" }
 * }
 * </pre>
 *
 * A missing key takes its default; an unknown key or a bad value fails with a message naming the
 * key, e.g. {@code agent.json: api.port must be between 1 and 65535, got 70000}.
 */
public record AgentConfig(Api api, CatalogSettings catalog, Logging logging, int shutdownTimeoutSeconds,
    String role, Mail mail, List<Contact> contacts, String timeZone, Auth auth,
    EncryptionRecovery encryptionRecovery) {

  public AgentConfig {
    contacts = List.copyOf(contacts);
  }

  /**
   * SMTP settings for emailed backup reports. The password is never in agent.json: {@code passwordFile}
   * names a file (relative to the agent home unless absolute) readable by its owner only. With a
   * {@code username}, {@code starttls} is REQUIRED (the default then; anything else is refused), so
   * the password never crosses the network in clear.
   */
  public record Mail(boolean enabled, String host, int port, String username, String passwordFile,
      String starttls, String from, int retries) {
    public Mail {
      if (username != null && !"REQUIRED".equals(starttls)) {
        throw new IllegalArgumentException("mail.starttls must be REQUIRED when mail.username is set");
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("enabled", enabled).put("host", host).put("port", port).put("username", username)
          .put("passwordFile", passwordFile).put("starttls", starttls).put("from", from).put("retries", retries);
    }
  }

  /**
   * Encryption recovery (guide ch. 9.1.4): {@code publicKeyFile} (null: off; relative to the agent
   * home unless absolute) is the administrator's recovery public key (PEM, RSA of at least 3072
   * bits); new keys of accounts with recovery are sealed to it.
   */
  public record EncryptionRecovery(String publicKeyFile) {
    public JsonObject toJson() {
      return new JsonObject().put("publicKeyFile", publicKeyFile);
    }
  }

  /** Someone who receives the reports (guide ch. 9.1.2: name and email). */
  public record Contact(String name, String email) {
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("email", email);
    }
  }

  /** The zone schedules are evaluated in ("system": the machine's zone, read at start). */
  public java.time.ZoneId scheduleZone() {
    return timeZone.equals("system") ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(timeZone);
  }

  /** The mail section plus the contacts, as the reports verticle reads them. */
  public JsonObject reportsJson() {
    return new JsonObject().put("mail", mail.toJson())
        .put("contacts", new JsonArray(contacts.stream().map(Contact::toJson).toList()));
  }

  /**
   * HTTP API / console listener. Requests must name one of the agent's hosts (loopback names,
   * {@code host}, {@code allowedHosts}); a browser's cross-origin request is refused unless
   * {@code allowedOrigins} lists its origin (docs/SECURITY.md §5). {@code tls} (null: none) names a
   * PEM certificate and key; without it a non-loopback host is served with a certificate the agent
   * generates (api.ApiTls).
   */
  public record Api(String host, int port, int maxBodyBytes, int maxHeaderBytes, List<String> allowedHosts,
      List<String> allowedOrigins, int eventKeepAliveSeconds, Tls tls) {
    public Api {
      allowedHosts = List.copyOf(allowedHosts);
      allowedOrigins = List.copyOf(allowedOrigins);
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject().put("host", host).put("port", port).put("maxBodyBytes", maxBodyBytes)
          .put("maxHeaderBytes", maxHeaderBytes).put("allowedHosts", new JsonArray(allowedHosts))
          .put("allowedOrigins", new JsonArray(allowedOrigins)).put("eventKeepAliveSeconds", eventKeepAliveSeconds);
      return tls == null ? o : o.put("tls", tls.toJson());
    }
  }

  /** The API's certificate and private key (PEM files, relative to the agent home unless absolute). */
  public record Tls(String certFile, String keyFile) {
    public JsonObject toJson() {
      return new JsonObject().put("certFile", certFile).put("keyFile", keyFile);
    }
  }

  /**
   * Logins and sessions (docs/SECURITY.md §3): idle and absolute session timeouts, whether "Save
   * password" (a remembered device) is offered and for how long, and the SMS gateway's settings
   * ({@code sms}, validated by the auth service).
   */
  public record Auth(int sessionIdleMinutes, int sessionMaxHours, boolean allowRememberDevice, int rememberDays,
      JsonObject sms) {
    public Auth {
      sms = sms.copy();
    }

    public JsonObject toJson() {
      return new JsonObject().put("sessionIdleMinutes", sessionIdleMinutes).put("sessionMaxHours", sessionMaxHours)
          .put("allowRememberDevice", allowRememberDevice).put("rememberDays", rememberDays).put("sms", sms.copy());
    }
  }

  /** Where the catalog lives; {@code file} is relative to the agent home unless absolute. */
  public record CatalogSettings(String type, String file) {
    public JsonObject toJson() {
      return new JsonObject().put("type", type).put("file", file);
    }
  }

  /** Rotating log file settings. */
  public record Logging(String level, int maxFileMb, int maxFiles) {
    public JsonObject toJson() {
      return new JsonObject().put("level", level).put("maxFileMb", maxFileMb).put("maxFiles", maxFiles);
    }
  }

  public static final int DEFAULT_PORT = 7070;
  static final Set<String> STARTTLS = Set.of("DISABLED", "OPTIONAL", "REQUIRED");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+");

  /** Whether {@code s} looks like a plain {@code local@domain} address (no display name, no spaces). */
  public static boolean isEmail(String s) {
    return s != null && s.length() <= 254 && EMAIL.matcher(s).matches();
  }

  static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  public static AgentConfig defaults() {
    return fromJson(new JsonObject(), "defaults");
  }

  /** Parses and validates; {@code source} names the file in error messages. */
  public static AgentConfig fromJson(JsonObject json, String source) {
    JsonReader root = new JsonReader(json, "", source);
    JsonReader api = root.object("api");
    Api a = new Api(api.string("host", "127.0.0.1"), api.integer("port", DEFAULT_PORT, 1, 65535),
        api.integer("maxBodyBytes", 1 << 20, 1024, 1 << 30), api.integer("maxHeaderBytes", 8192, 1024, 1 << 20),
        api.strings("allowedHosts"), api.strings("allowedOrigins"), api.integer("eventKeepAliveSeconds", 15, 1, 300),
        tls(api));
    for (String o : a.allowedOrigins()) {
      if (!o.matches("https?://[^/\\s]+")) {
        throw api.fail("allowedOrigins", "must list origins such as https://backup.example.com (scheme and host, "
            + "no path), got \"" + o + "\"");
      }
    }
    api.rejectUnknown();
    JsonReader authSection = root.object("auth");
    Auth auth = new Auth(authSection.integer("sessionIdleMinutes", 30, 1, 24 * 60),
        authSection.integer("sessionMaxHours", 12, 1, 24 * 30), authSection.bool("allowRememberDevice", false),
        authSection.integer("rememberDays", 90, 1, 365), authSection.raw("sms"));
    authSection.rejectUnknown();
    JsonReader cat = root.object("catalog");
    CatalogSettings c = new CatalogSettings(cat.oneOf("type", "sqlite", Set.of("sqlite")),
        cat.string("file", "catalog.db"));
    cat.rejectUnknown();
    JsonReader log = root.object("logging");
    Logging l = new Logging(log.oneOf("level", "INFO", LEVELS), log.integer("maxFileMb", 10, 1, 1024),
        log.integer("maxFiles", 10, 1, 1000));
    log.rejectUnknown();
    JsonReader shutdown = root.object("shutdown");
    int timeout = shutdown.integer("timeoutSeconds", 30, 1, 3600);
    shutdown.rejectUnknown();
    String role = root.string("role", "all");
    Mail mail = mail(root.object("mail"));
    List<Contact> contacts = new ArrayList<>();
    for (JsonReader r : root.objects("contacts")) {
      String email = r.string("email", null);
      if (email == null) {
        throw r.fail("email", "is missing");
      }
      if (!isEmail(email)) {
        throw r.fail("email", "is not an email address, got \"" + email + "\"");
      }
      String name = r.string("name", email);
      if (name.contains("\n") || name.contains("\r")) {
        throw r.fail("name", "must be one line");
      }
      r.rejectUnknown();
      contacts.add(new Contact(name, email));
    }
    JsonReader sched = root.object("schedule");
    String zone = sched.string("timeZone", "system");
    if (!zone.equals("system")) {
      try {
        java.time.ZoneId.of(zone);
      } catch (java.time.DateTimeException e) {
        throw sched.fail("timeZone", "is not a time zone id (e.g. Australia/Sydney, UTC, or system), got \"" + zone
            + "\"");
      }
    }
    sched.rejectUnknown();
    JsonReader rec = root.object("encryptionRecovery");
    EncryptionRecovery recovery = new EncryptionRecovery(rec.string("publicKeyFile", null));
    rec.rejectUnknown();
    root.rejectUnknown();
    return new AgentConfig(a, c, l, timeout, role, mail, contacts, zone, auth, recovery);
  }

  private static Tls tls(JsonReader api) {
    Object v = api.value("tls");
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw api.fail("tls", "must be an object {\"certFile\", \"keyFile\"} naming PEM files, got " + v + " (TLS "
          + "cannot be turned off: a loopback api.host is plain HTTP without api.tls, any other is served over TLS)");
    }
    JsonReader t = api.object("tls");
    String cert = t.string("certFile", null);
    String key = t.string("keyFile", null);
    t.rejectUnknown();
    if (cert == null || key == null) {
      throw t.fail(cert == null ? "certFile" : "keyFile", "is missing (api.tls needs both certFile and keyFile, "
          + "PEM files)");
    }
    return new Tls(cert, key);
  }

  private static Mail mail(JsonReader m) {
    boolean enabled = m.bool("enabled", false);
    String host = m.string("host", "localhost");
    int port = m.integer("port", 25, 1, 65535);
    String username = m.string("username", null);
    String passwordFile = m.string("passwordFile", null);
    // with a login, STARTTLS is required: a server (or a man in the middle) that does not offer it
    // would otherwise receive the password in clear
    String starttls = m.oneOf("starttls", username != null ? "REQUIRED" : "OPTIONAL", STARTTLS);
    String from = m.string("from", null);
    int retries = m.integer("retries", 3, 0, 10);
    m.rejectUnknown();
    if (from != null && !isEmail(from)) {
      throw m.fail("from", "is not an email address, got \"" + from + "\"");
    }
    if (enabled && from == null) {
      throw m.fail("from", "must be set when mail.enabled is true");
    }
    if (passwordFile != null && username == null) {
      throw m.fail("username", "must be set when mail.passwordFile is set");
    }
    if (username != null && !starttls.equals("REQUIRED")) {
      throw m.fail("starttls", "must be REQUIRED when mail.username is set (got " + starttls + "): without it a "
          + "server, or anyone between, that does not offer STARTTLS receives the password in clear");
    }
    return new Mail(enabled, host, port, username, passwordFile, starttls, from, retries);
  }

  public JsonObject toJson() {
    return new JsonObject().put("api", api.toJson()).put("catalog", catalog.toJson())
        .put("logging", logging.toJson())
        .put("shutdown", new JsonObject().put("timeoutSeconds", shutdownTimeoutSeconds))
        .put("role", role).put("mail", mail.toJson())
        .put("contacts", new JsonArray(contacts.stream().map(Contact::toJson).toList()))
        .put("schedule", new JsonObject().put("timeZone", timeZone)).put("auth", auth.toJson())
        .put("encryptionRecovery", encryptionRecovery.toJson());
  }

  /**
   * Reads {@code file}, or writes the defaults there first when it does not exist (atomically:
   * temp file then rename, so a crash never leaves half a config).
   */
  public static AgentConfig loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        AgentConfig d = defaults();
        PrivateFiles.write(file, (d.toJson().encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8)); // 0600
        return d;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      JsonObject json;
      try {
        json = new JsonObject(text);
      } catch (DecodeException e) {
        throw new ConfigException(file + ": not valid JSON at " + JsonErrors.at(e));
      }
      return fromJson(json, file.toString());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read or created: " + au.com.backup247.agent.fs.IoReason.of(e));
    }
  }
}
