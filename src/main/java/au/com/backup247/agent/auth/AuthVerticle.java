package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.catalog.AccountStoreClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the auth service to {@code b247.auth.*} (docs/SECURITY.md). Deploy one instance after the
 * catalog and before the API. At start it writes the local API token to
 * {@code <home>/run/api-token} (0600, new at every start; removed at stop) and, while no account
 * exists, the one-time setup code.
 *
 * <p>Config: {@code home}; {@code sessionIdleMinutes}, {@code sessionMaxHours},
 * {@code allowRememberDevice}, {@code rememberDays}, {@code sms} (agent.json's {@code auth});
 * {@code recoveryKeyConfigured} (encryption recovery offered); {@code contacts} and
 * {@code configFile}: agent.json's contacts move to the first account's profile and out of the file.
 */
public final class AuthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuthVerticle.class);
  private final Clock clock;
  private final PasswordHasher hasher;
  private Path tokenFile;

  public AuthVerticle() {
    this(Clock.systemUTC());
  }

  /** With an injected clock (tests: session timeouts, TOTP, throttling). */
  public AuthVerticle(Clock clock) {
    this(clock, new PasswordHasher());
  }

  /** With an injected clock and password hasher (tests count the hasher's work). */
  AuthVerticle(Clock clock, PasswordHasher hasher) {
    this.clock = clock;
    this.hasher = hasher;
  }

  @Override
  public Future<?> start() {
    JsonObject c = config();
    String home = c.getString("home");
    if (home == null) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "auth verticle: config \"home\" is missing"));
    }
    Path homeDir = Path.of(home);
    AgentHome agentHome = new AgentHome(homeDir);
    SmsSettings smsSettings;
    try {
      smsSettings = SmsSettings.fromJson(c.getJsonObject("sms", new JsonObject()), "agent.json");
    } catch (RuntimeException e) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, e.getMessage()));
    }
    String token = Tokens.newToken();
    tokenFile = agentHome.apiTokenFile();
    return vertx.executeBlocking(() -> {
      ApiTokenFile.write(tokenFile, token);
      return AgentSecret.load(agentHome.keysDir().resolve("agent.secret"));
    }, false).recover(err -> Future.failedFuture(err instanceof AgentException a
        && a.failure() == Failure.CONFIG_INVALID ? new AgentException(Failure.CONFIG_INVALID, err.getMessage())
        : new AgentException(Failure.UNAVAILABLE, "auth: cannot write " + tokenFile + " or read the agent's secret: "
            + err.getMessage(), err)))
        .compose(secret -> {
          SmsGateway sms = smsSettings.enabled() ? TwilioSms.create(vertx, smsSettings, homeDir) : null;
          AuthService service = service(c, homeDir, secret, sms, token);
          List<Future<?>> ready = new ArrayList<>();
          ready.add(bind(Addresses.AUTH_AUTHENTICATE, service::authenticate));
          ready.add(bind(Addresses.AUTH_CONTACTS, service::contacts));
          ready.add(bind(Addresses.AUTH_TIME_ZONES, b -> service.timeZones()));
          service.operations().forEach((name, op) -> ready.add(bind(Addresses.AUTH_PREFIX + name, op)));
          return setup.start().compose(v -> Future.join(ready));
        });
  }

  private Setup setup;
  private Passwords passwords;

  /** Wires the service's parts. */
  private AuthService service(JsonObject c, Path home, AgentSecret secret, SmsGateway sms, String token) {
    AccountStore store = new AccountStoreClient(vertx);
    passwords = new Passwords(vertx, hasher);
    Passwords hasher = passwords;
    Sessions sessions = new Sessions(store, clock, c.getInteger("sessionIdleMinutes", 30),
        c.getInteger("sessionMaxHours", 12), c.getInteger("rememberDays", 90));
    setup = new Setup(vertx, clock, store, home);
    JsonArray contacts = c.getJsonArray("contacts", new JsonArray());
    Path agentJson = c.getString("configFile") == null ? null : Path.of(c.getString("configFile"));
    Accounts accounts = new Accounts(clock, store, hasher, sessions, () -> {
      setup.done();
      if (agentJson != null && !contacts.isEmpty()) {
        vertx.executeBlocking(() -> ContactsMove.out(agentJson), false)
            .onFailure(err -> LOG.warn("the contacts moved to the first account's profile, but {} could not be "
                + "rewritten without them: {}", agentJson, err.getMessage()));
      }
    }, contacts);
    TwoFactorService twoFactor = new TwoFactorService(clock, store, hasher, accounts, sessions, secret, sms);
    Logins logins = new Logins(clock, store, hasher, sessions,
        new DeviceCookies(secret.derive("device-cookie v1")), twoFactor, c.getBoolean("allowRememberDevice", false));
    setup.wire(accounts, logins);
    Profiles profiles = new Profiles(clock, store, hasher, accounts, c.getBoolean("recoveryKeyConfigured",
        false));
    return new AuthService(store, sessions, logins, accounts, profiles, twoFactor, setup, token);
  }

  private Future<Void> bind(String address, java.util.function.Function<JsonObject, Future<JsonObject>> op) {
    return BusService.bind(vertx, address, op, "auth service", LOG);
  }

  @Override
  public Future<?> stop() {
    Future<Void> pool = passwords == null ? Future.succeededFuture() : passwords.close();
    if (tokenFile == null) {
      return pool;
    }
    return pool.eventually(() -> vertx.executeBlocking(() -> ApiTokenFile.delete(tokenFile), false)).mapEmpty();
  }
}
