package au.com.backup247.agent.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * The agent's own settings, read from {@code <home>/config/agent.json}: immutable, validated once.
 *
 * <pre>
 * {
 *   "api":      { "host": "127.0.0.1", "port": 7070, "maxBodyBytes": 1048576, "maxHeaderBytes": 8192 },
 *   "catalog":  { "type": "sqlite", "file": "catalog.db" },
 *   "logging":  { "level": "INFO", "maxFileMb": 10, "maxFiles": 10 },
 *   "shutdown": { "timeoutSeconds": 30 },
 *   "role":     "all"
 * }
 * </pre>
 *
 * A missing key takes its default; an unknown key or a bad value fails with a message naming the
 * key, e.g. {@code agent.json: api.port must be between 1 and 65535, got 70000}.
 */
public record AgentConfig(Api api, CatalogSettings catalog, Logging logging, int shutdownTimeoutSeconds,
    String role) {

  /** HTTP API / console listener. */
  public record Api(String host, int port, int maxBodyBytes, int maxHeaderBytes) {
    public JsonObject toJson() {
      return new JsonObject().put("host", host).put("port", port).put("maxBodyBytes", maxBodyBytes)
          .put("maxHeaderBytes", maxHeaderBytes);
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
  static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  public static AgentConfig defaults() {
    return fromJson(new JsonObject(), "defaults");
  }

  /** Parses and validates; {@code source} names the file in error messages. */
  public static AgentConfig fromJson(JsonObject json, String source) {
    JsonReader root = new JsonReader(json, "", source);
    JsonReader api = root.object("api");
    Api a = new Api(api.string("host", "127.0.0.1"), api.integer("port", DEFAULT_PORT, 1, 65535),
        api.integer("maxBodyBytes", 1 << 20, 1024, 1 << 30), api.integer("maxHeaderBytes", 8192, 1024, 1 << 20));
    api.rejectUnknown();
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
    root.rejectUnknown();
    return new AgentConfig(a, c, l, timeout, role);
  }

  public JsonObject toJson() {
    return new JsonObject().put("api", api.toJson()).put("catalog", catalog.toJson())
        .put("logging", logging.toJson())
        .put("shutdown", new JsonObject().put("timeoutSeconds", shutdownTimeoutSeconds))
        .put("role", role);
  }

  /**
   * Reads {@code file}, or writes the defaults there first when it does not exist (atomically:
   * temp file then rename, so a crash never leaves half a config).
   */
  public static AgentConfig loadOrCreate(Path file) {
    String name = file.getFileName().toString();
    try {
      if (!Files.exists(file)) {
        AgentConfig d = defaults();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(name + ".tmp");
        Files.writeString(tmp, d.toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return d;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      JsonObject json;
      try {
        json = new JsonObject(text);
      } catch (DecodeException e) {
        throw new ConfigException(file + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
      }
      return fromJson(json, file.toString());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read or created: " + e.getMessage());
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
