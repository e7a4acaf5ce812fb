package au.com.backup247.agent;

import au.com.backup247.agent.api.ApiTls;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.config.AgentConfig;
import au.com.backup247.agent.config.ConfigException;
import au.com.backup247.agent.config.VerticlesSpec;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.InstanceLock;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.logging.Logging;
import au.com.backup247.agent.metrics.AgentMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an agent node: takes the home's lock, loads and validates {@code agent.json} and
 * {@code verticles.json}, starts Vert.x and deploys the verticles of the configured role in the
 * order listed (nothing else), then writes the state file that {@code b247 status} reads.
 * {@link Running#stop()} undeploys everything (which closes the catalog) and releases the lock.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
  static final long DEPLOY_TIMEOUT_S = 60;

  private AgentMain() {
  }

  /** Where to read the deployment plan: a file, or the copy embedded in the jar. */
  public record Options(Path verticlesFile, String role, boolean consoleLog) {
  }

  /** A started agent. */
  public static final class Running {
    private final Vertx vertx;
    private final InstanceLock lock;
    private final AgentConfig config;
    private final String apiUrl;
    private final long startedAt;
    private boolean stopped;

    Running(Vertx vertx, InstanceLock lock, AgentConfig config, String apiUrl, long startedAt) {
      this.vertx = vertx;
      this.lock = lock;
      this.config = config;
      this.apiUrl = apiUrl;
      this.startedAt = startedAt;
    }

    public String apiUrl() {
      return apiUrl;
    }

    public long startedAt() {
      return startedAt;
    }

    public Vertx vertx() {
      return vertx;
    }

    /** Undeploys all verticles and closes Vert.x within the configured timeout; idempotent. */
    public synchronized boolean stop() {
      if (stopped) {
        return true;
      }
      stopped = true;
      boolean clean = true;
      LOG.info("stopping");
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(config.shutdownTimeoutSeconds(), TimeUnit.SECONDS);
        LOG.info("stopped cleanly: verticles undeployed, catalog closed");
      } catch (TimeoutException e) {
        clean = false;
        LOG.warn("shutdown did not finish within {} s (shutdown.timeoutSeconds); exiting anyway",
            config.shutdownTimeoutSeconds());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        clean = false;
      } catch (ExecutionException e) {
        clean = false;
        LOG.warn("error while stopping: {}", e.getCause().getMessage());
      } finally {
        lock.close();
      }
      return clean;
    }
  }

  /**
   * Starts the agent and blocks until it serves requests. Throws {@link AgentException} with a
   * one-line message for every expected failure (already running, bad config, port in use).
   */
  public static Running start(AgentHome home, Options options) {
    long t0 = System.currentTimeMillis();
    home.ensure();
    InstanceLock lock = InstanceLock.acquire(home);
    Vertx vertx = null;
    try {
      AgentConfig config = AgentConfig.loadOrCreate(home.configFile());
      AgentConfig.Tls tlsFiles = config.api().tls();
      Path keyFile = tlsFiles == null ? home.configDir().resolve("tls/agent.key") : home.resolve(tlsFiles.keyFile());
      home.requirePrivate(home.resolve(config.catalog().file()), keyFile);
      Logging.configure(home.logsDir(), config.logging().level(), config.logging().maxFileMb(),
          config.logging().maxFiles(), options.consoleLog());
      Optional<ApiTls.Served> tls = ApiTls.prepare(config.api().host(),
          tlsFiles == null ? null : home.resolve(tlsFiles.certFile()), tlsFiles == null ? null : keyFile,
          home.configDir().resolve("tls"));
      String role = options.role() != null ? options.role() : config.role();
      VerticlesSpec spec = VerticlesSpec.load(options.verticlesFile());
      List<VerticlesSpec.Entry> entries = spec.role(role);
      for (VerticlesSpec.Entry e : entries) {
        VerticlesSpec.verticleClass(e, role); // all checked before anything is deployed
      }
      spec.pipeline().values().forEach(e -> VerticlesSpec.verticleClass(e, "pipeline"));
      LOG.info("starting B247 Agent {} (pid {}, home {}, role {})", Version.get(), ProcessHandle.current().pid(),
          home.root(), role);
      tls.ifPresent(t -> LOG.info("API certificate SHA-256 fingerprint {} ({}{})", t.fingerprint(), t.certFile(),
          t.generated() ? ", generated now" : ""));
      String apiUrl = (tls.isPresent() ? "https://" : "http://") + hostForUrl(config.api().host()) + ":"
          + config.api().port() + "/";
      JsonObject served = new JsonObject().put("url", apiUrl).put("tls", tls.map(ApiTls.Served::toJson).orElse(null));
      vertx = AgentMetrics.vertx(new VertxOptions()); // with its meters (GET /metrics)
      VerticlesSpec.install(vertx, spec); // the backups' pipeline
      for (VerticlesSpec.Entry e : entries) {
        deploy(vertx, home, config, role, e, served);
      }
      Running running = new Running(vertx, lock, config, apiUrl, t0);
      writeState(home, apiUrl, t0, tls);
      vertx.eventBus().publish(Addresses.EVENT_AGENT_STARTED, new JsonObject().put("api", apiUrl));
      LOG.info("started in {} ms; API at {}", System.currentTimeMillis() - t0, apiUrl);
      return running;
    } catch (RuntimeException e) {
      if (vertx != null) {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // already failing; report the first error
        }
      }
      lock.close();
      throw e;
    }
  }

  private static void deploy(Vertx vertx, AgentHome home, AgentConfig config, String role, VerticlesSpec.Entry e,
      JsonObject served) {
    Class<? extends io.vertx.core.Deployable> cls = VerticlesSpec.verticleClass(e, role);
    JsonObject cfg = e.config().copy().mergeIn(section(home, config, e.name(), served), true);
    cfg.put("home", home.root().toString());
    DeploymentOptions opts = new DeploymentOptions().setInstances(e.instances()).setThreadingModel(e.threading())
        .setConfig(cfg);
    try {
      vertx.deployVerticle(() -> VerticlesSpec.newInstance(cls), opts).toCompletionStage().toCompletableFuture()
          .get(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("deployed {} ({} x{} {})", e.name(), cls.getSimpleName(), e.instances(), e.threading());
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof AgentException a) {
        throw a;
      }
      throw new AgentException(Failure.INTERNAL, "verticles.json: roles." + role + " entry \"" + e.name()
          + "\" failed to start: " + cause.getMessage(), cause);
    } catch (TimeoutException ex) {
      throw new AgentException(Failure.TIMEOUT, "verticles.json: roles." + role + " entry \"" + e.name()
          + "\" did not start within " + DEPLOY_TIMEOUT_S + " s");
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AgentException(Failure.INTERNAL, "interrupted while starting");
    }
  }

  /**
   * The part of agent.json a verticle needs, by entry name; agent.json wins over verticles.json.
   * {@code served}: the API's {@code url} and {@code tls} (the certificate in use, or null).
   */
  static JsonObject section(AgentHome home, AgentConfig config, String name, JsonObject served) {
    return switch (name) {
      case "api" -> config.api().toJson().put("configFile", home.configFile().toString())
          .put("tls", served.getValue("tls"));
      case "system" -> new JsonObject().put("api", served.copy());
      case "catalog" -> new JsonObject().put("file", home.resolve(config.catalog().file()).toString())
          .put("version", Version.get());
      case "reports" -> config.reportsJson();
      case "scheduler", "jobs" -> new JsonObject().put("timeZone", config.scheduleZone().getId());
      case "auth" -> config.auth().toJson().put("configFile", home.configFile().toString())
          .put("contacts", new io.vertx.core.json.JsonArray(config.contacts().stream()
              .map(AgentConfig.Contact::toJson).toList()))
          .put("recoveryKeyConfigured", config.encryptionRecovery().publicKeyFile() != null);
      case "sets" -> new JsonObject().put("recoveryPublicKeyFile", config.encryptionRecovery().publicKeyFile() == null
          ? null : home.resolve(config.encryptionRecovery().publicKeyFile()).toString());
      default -> new JsonObject();
    };
  }

  private static void writeState(AgentHome home, String apiUrl, long startedAt, Optional<ApiTls.Served> tls) {
    JsonObject state = new JsonObject().put("pid", ProcessHandle.current().pid()).put("version", Version.get())
        .put("startedAt", startedAt).put("api", apiUrl).put("home", home.root().toString());
    tls.ifPresent(t -> state.put("tls", new JsonObject().put("certFile", t.certFile().toString())
        .put("fingerprint", t.fingerprint())));
    try {
      PrivateFiles.write(home.stateFile(), state.encodePrettily().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", home.stateFile(), e.getMessage());
    }
  }

  static String hostForUrl(String host) {
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
