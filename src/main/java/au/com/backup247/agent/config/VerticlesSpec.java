package au.com.backup247.agent.config;

import io.vertx.core.Deployable;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deployment plan read from {@code verticles.json}: verticles grouped by role, deployed in the
 * order listed.
 *
 * <pre>
 * {
 *   "roles": {
 *     "all": [
 *       { "name": "catalog", "class": "au.com.backup247.agent.catalog.CatalogVerticle",
 *         "instances": 1, "threading": "EVENT_LOOP", "config": { } },
 *       ...
 *     ]
 *   }
 * }
 * </pre>
 *
 * Every entry is checked before anything is deployed: the class must exist and be a Vert.x
 * {@link Deployable}; a mistake is reported as one line naming the role and entry.
 */
public record VerticlesSpec(Map<String, List<Entry>> roles) {

  /** One verticle to deploy. */
  public record Entry(String name, String className, int instances, ThreadingModel threading,
      JsonObject config) {
  }

  private static final Set<String> MODELS = Set.of("EVENT_LOOP", "WORKER");

  public static VerticlesSpec parse(String text, String source) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(source + ": not valid JSON at " + JsonErrors.at(e));
    }
    Object rolesValue = json.getValue("roles");
    if (!(rolesValue instanceof JsonObject rolesJson)) {
      throw new ConfigException(source + ": \"roles\" must be an object mapping role names to lists of verticles");
    }
    Map<String, List<Entry>> roles = new LinkedHashMap<>();
    for (String role : rolesJson.fieldNames()) {
      Object list = rolesJson.getValue(role);
      if (!(list instanceof JsonArray arr)) {
        throw new ConfigException(source + ": roles." + role + " must be an array of verticles");
      }
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        String where = "roles." + role + "[" + i + "]";
        Object e = arr.getValue(i);
        if (!(e instanceof JsonObject obj)) {
          throw new ConfigException(source + ": " + where + " must be an object");
        }
        entries.add(entry(obj, source + ": " + where));
      }
      roles.put(role, List.copyOf(entries));
    }
    return new VerticlesSpec(Map.copyOf(roles));
  }

  private static Entry entry(JsonObject obj, String where) {
    JsonReader r = new JsonReader(obj, "", where);
    String className = r.string("class", null);
    if (className == null) {
      throw new ConfigException(where + ": \"class\" is missing");
    }
    String name = r.string("name", className.substring(className.lastIndexOf('.') + 1));
    int instances = r.integer("instances", 1, 1, 64);
    String model = r.oneOf("threading", "EVENT_LOOP", MODELS);
    r.object("config"); // type-checks it
    r.rejectUnknown();
    JsonObject config = obj.getJsonObject("config", new JsonObject());
    return new Entry(name, className, instances, ThreadingModel.valueOf(model), config.copy());
  }

  /** The entries of {@code role}, or a clear error listing the roles that exist. */
  public List<Entry> role(String role) {
    List<Entry> entries = roles.get(role);
    if (entries == null) {
      throw new ConfigException("verticles.json: no role \"" + role + "\"; known roles: "
          + String.join(", ", roles.keySet().stream().sorted().toList()));
    }
    return entries;
  }

  /** Loads and checks the class of every entry of {@code role}. */
  public static Class<? extends Deployable> verticleClass(Entry e, String role) {
    String where = "verticles.json: roles." + role + " entry \"" + e.name() + "\"";
    Class<?> c;
    try {
      c = Class.forName(e.className(), false, VerticlesSpec.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError ex) {
      throw new ConfigException(where + ": class " + e.className() + " not found");
    }
    if (!Deployable.class.isAssignableFrom(c)) {
      throw new ConfigException(where + ": class " + e.className() + " is not a verticle");
    }
    return c.asSubclass(Deployable.class);
  }
}
