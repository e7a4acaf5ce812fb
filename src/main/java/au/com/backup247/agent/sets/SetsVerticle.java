package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationReply;
import au.com.backup247.agent.repo.error.RepoException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import au.com.backup247.agent.config.ConfigException;
import au.com.backup247.agent.repo.HostName;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the backup sets service ({@link SetService}) to the {@code b247.sets.*} addresses. Deploy
 * it after the catalog (it stores rows through {@code b247.catalog.sets.*}).
 *
 * <p>Config: {@code home} (the agent home, set by the agent; keys go to {@code home/keys},
 * destination credentials to {@code home/credentials/<setId>/}),
 * optionally {@code userHome} (what source shortcuts resolve against; default: this process's
 * user's home), {@code owner} (default: this machine's name) and {@code recoveryPublicKeyFile}
 * (agent.json {@code encryptionRecovery.publicKeyFile}: the PEM public key new keys are sealed to
 * for accounts with encryption recovery).
 */
public final class SetsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SetsVerticle.class);
  private final Clock clock;
  private SetService service;
  private FolderListing folders;

  public SetsVerticle() {
    this(Clock.systemUTC());
  }

  /** With an injected clock (tests). */
  public SetsVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    String home = config().getString("home");
    if (home == null) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "sets verticle: config \"home\" is missing"));
    }
    ValidationReply.registerCodec(vertx);
    au.com.backup247.agent.bus.KeyedReply.registerCodec(vertx);
    String recovery = config().getString("recoveryPublicKeyFile");
    return vertx.executeBlocking(() -> new Machine(HostName.local(), recoveryKey(recovery))).compose(m -> {
      SetJson.Defaults defaults = new SetJson.Defaults(
          Path.of(config().getString("userHome", System.getProperty("user.home"))).toAbsolutePath().normalize(),
          config().getString("owner", m.host()));
      service = new SetService(vertx, clock, new SetKeys(Path.of(home).resolve("keys"), m.recoveryKey()),
          new SetCredentials(Path.of(home).resolve("credentials")), defaults);
      folders = new FolderListing(vertx, defaults.home());
      return service.init().recover(err -> Future.failedFuture(new AgentException(Failure.UNAVAILABLE,
          "backup sets: the catalog does not answer (" + err.getMessage() + "); deploy the catalog first")));
    }).compose(v -> Future.join(List.of(
        bind(Addresses.SETS_LIST, b -> service.list(b.getLong("after"), b.getInteger("limit", 100), Caller.of(b),
            b.getString("name"))),
        bind(Addresses.SETS_ACCESS, b -> service.access(id(b), Caller.of(b))),
        bind(Addresses.SETS_GET, b -> service.get(id(b))),
        bind(Addresses.SETS_CREATE, b -> service.create(b)),
        bind(Addresses.SETS_UPDATE, b -> service.update(id(b), b.getJsonObject("set", new JsonObject()), Caller.of(b))),
        bind(Addresses.SETS_RENAME, b -> service.rename(id(b), b.getValue("name"))),
        bind(Addresses.SETS_DELETE, b -> service.delete(id(b))),
        bind(Addresses.SETS_UNMASK_KEY, b -> service.unmaskKey(id(b))),
        bind(Addresses.SETS_CREDENTIALS_PUT, b -> service.credentials().put(id(b), b.getString("destination"),
            b.getJsonObject("credentials", new JsonObject()), b.getBoolean("merge", false))),
        bind(Addresses.SETS_DESTINATION_TEST, b -> service.credentials().test(id(b), b.getString("destination"))),
        bind(Addresses.DESTINATIONS_TEST, b -> service.credentials().testTyped(b)),
        bind(Addresses.SETS_FILES, b -> folders.list(b.getString("path"), Caller.of(b))),
        bind(Addresses.SETS_CREDENTIALS_DELETE, b -> service.credentials().delete(id(b), b.getString("destination"))))));
  }

  private Future<Void> bind(String address, Function<JsonObject, Future<JsonObject>> op) {
    return BusService.bind(vertx, address, op, "backup sets service", LOG);
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.set.idMissing");
    }
    return id;
  }

  /** What start reads from this machine: its name, and the recovery public key (null: none). */
  private record Machine(String host, PublicKey recoveryKey) {
  }

  /** The recovery public key of {@code file} (null: none configured); CONFIG_INVALID naming the key otherwise. */
  private static PublicKey recoveryKey(String file) {
    if (file == null) {
      return null;
    }
    try {
      PublicKey k = RecoveryEnvelope.readPublicKey(Path.of(file));
      LOG.info("encryption recovery: new keys of accounts with recovery are sealed to {} (SHA-256 {})", file,
          RecoveryEnvelope.hex(RecoveryEnvelope.recipient(k)));
      return k;
    } catch (RepoException e) {
      throw new ConfigException("encryptionRecovery.publicKeyFile: " + e.getMessage());
    }
  }
}
