package au.com.backup247.agent.config;

import io.vertx.core.Deployable;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *   },
 *   "pipeline": [
 *     { "name": "scan", "class": "au.com.backup247.agent.pipeline.ScanVerticle",
 *       "instances": 1, "threading": "WORKER", "config": { } },
 *     { "name": "chunk", ..., "instances": "threads", ... },
 *     ...
 *   ]
 * }
 * </pre>
 *
 * Every entry is checked before anything is deployed: the class must exist and be a Vert.x
 * {@link Deployable}; a mistake is reported as one line naming the role and entry.
 *
 * <p>{@code pipeline} lists the backup stages, deployed for each backup job and undeployed after it
 * ({@code pipeline.PipelineBackup}): exactly the stages {@link #STAGES}, each with its class,
 * instances, threading and config. A chunk stage's {@code instances} may be {@code "threads"}: the
 * job's own setting (the CLI's {@code --threads}, the agent's default for a set). The scan and seal
 * stages are one stream each and the uploader is one per destination, so their instances must be 1.
 * A plan without {@code pipeline} takes the embedded one's. {@link #load} is the one place a plan
 * is read; {@link #install} makes a node's plan the one its backups use ({@link #pipelineOf}).
 */
public record VerticlesSpec(Map<String, List<Entry>> roles, Map<String, Entry> pipeline) {

  /** One verticle to deploy; {@code instances} {@value #JOB_THREADS}: as many as the job's threads. */
  public record Entry(String name, String className, int instances, ThreadingModel threading,
      JsonObject config) {
    /** {@code instances} of a pipeline stage that has as many as the job's threads. */
    public static final int JOB_THREADS = 0;

    public Entry {
      config = config.copy();
    }

    /** A copy of the entry's config: a plan is parsed once and shared by every job that deploys it. */
    @Override
    public JsonObject config() {
      return config.copy();
    }

    /** The instances to deploy for a job with {@code threads} threads. */
    public int instances(int threads) {
      return instances == JOB_THREADS ? threads : instances;
    }
  }

  /** The pipeline's stages, in the order they are deployed (each stage's receivers before its senders). */
  public static final List<String> STAGES = List.of("upload", "seal", "chunk", "scan");
  private static final Set<String> MODELS = Set.of("EVENT_LOOP", "WORKER");
  private static final String EMBEDDED = "verticles.json";
  private static final String INSTALLED = "b247.verticles";
  private static volatile VerticlesSpec embedded;

  /** A node's installed pipeline, kept as parsed (its entries hand out copies of their config). */
  private record Installed(Map<String, Entry> pipeline) implements Shareable {
  }

  /**
   * The plan in {@code file}, or the one embedded in the agent's jar when {@code file} is null; a
   * plan without a pipeline section takes the embedded one's.
   */
  public static VerticlesSpec load(Path file) {
    if (file == null) {
      return embedded();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage());
    }
    VerticlesSpec spec = parse(text, file.toString());
    return spec.pipeline().isEmpty() ? new VerticlesSpec(spec.roles(), embedded().pipeline()) : spec;
  }

  /**
   * The plan embedded in the agent's jar, parsed on first use, once: two threads asking first at the
   * same time (jobs starting together) parse it once between them, under the class's lock.
   */
  private static VerticlesSpec embedded() {
    VerticlesSpec spec = embedded;
    if (spec == null) {
      synchronized (VerticlesSpec.class) {
        spec = embedded;
        if (spec == null) {
          spec = readEmbedded();
          embedded = spec;
        }
      }
    }
    return spec;
  }

  private static VerticlesSpec readEmbedded() {
    try (InputStream in = VerticlesSpec.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new ConfigException("verticles.json is missing from the agent's jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EMBEDDED);
    } catch (IOException e) {
      throw new ConfigException("verticles.json cannot be read: " + e.getMessage());
    }
  }

  /** Makes {@code spec}'s pipeline the one backups on {@code vertx} deploy. */
  public static void install(Vertx vertx, VerticlesSpec spec) {
    vertx.sharedData().getLocalMap(INSTALLED).put("pipeline", new Installed(Map.copyOf(spec.pipeline())));
  }

  /**
   * The pipeline installed on {@code vertx} ({@link #install}), or the embedded one: the plan as
   * parsed once, not read again for each job.
   */
  public static Map<String, Entry> pipelineOf(Vertx vertx) {
    Object installed = vertx.sharedData().getLocalMap(INSTALLED).get("pipeline");
    return installed instanceof Installed i ? i.pipeline() : embedded().pipeline();
  }

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
    return new VerticlesSpec(Map.copyOf(roles), pipeline(json.getValue("pipeline"), source));
  }

  private static Map<String, Entry> pipeline(Object value, String source) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonArray arr)) {
      throw new ConfigException(source + ": \"pipeline\" must be an array of stages (" + String.join(", ", STAGES)
          + ")");
    }
    Map<String, Entry> stages = new LinkedHashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      String where = source + ": pipeline[" + i + "]";
      if (!(arr.getValue(i) instanceof JsonObject obj)) {
        throw new ConfigException(where + " must be an object");
      }
      Entry e = entry(obj, where);
      if (!STAGES.contains(e.name())) {
        throw new ConfigException(where + ": unknown stage \"" + e.name() + "\"; the stages are "
            + String.join(", ", STAGES));
      }
      if (!e.name().equals("chunk") && e.instances() != 1) {
        throw new ConfigException(where + ": the " + e.name() + " stage must have 1 instance"
            + (e.name().equals("upload") ? " (per destination)" : " (it is one stream)"));
      }
      if (stages.put(e.name(), e) != null) {
        throw new ConfigException(where + ": stage \"" + e.name() + "\" is listed twice");
      }
    }
    for (String stage : STAGES) {
      if (!stages.containsKey(stage)) {
        throw new ConfigException(source + ": pipeline: stage \"" + stage + "\" is missing");
      }
    }
    return Map.copyOf(stages);
  }

  private static Entry entry(JsonObject obj, String where) {
    JsonReader r = new JsonReader(obj, "", where);
    String className = r.string("class", null);
    if (className == null) {
      throw new ConfigException(where + ": \"class\" is missing");
    }
    String name = r.string("name", className.substring(className.lastIndexOf('.') + 1));
    int instances = "threads".equals(r.value("instances")) ? Entry.JOB_THREADS : r.integer("instances", 1, 1, 64);
    String model = r.oneOf("threading", "EVENT_LOOP", MODELS);
    r.object("config"); // type-checks it
    r.rejectUnknown();
    JsonObject config = obj.getJsonObject("config", new JsonObject());
    return new Entry(name, className, instances, ThreadingModel.valueOf(model), config);
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

  /** A new instance of {@code cls} (its constructor without arguments). */
  public static Deployable newInstance(Class<? extends Deployable> cls) {
    try {
      return cls.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException ex) {
      throw new ConfigException("verticle class " + cls.getName() + " cannot be created: " + ex);
    }
  }

  /** Loads and checks the class of every entry of {@code role}. */
  public static Class<? extends Deployable> verticleClass(Entry e, String role) {
    String where = "verticles.json: " + (role.equals("pipeline") ? "pipeline stage" : "roles." + role + " entry")
        + " \"" + e.name() + "\"";
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
