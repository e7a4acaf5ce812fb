package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.i18n.Messages;
import au.com.backup247.agent.home.PrivateFiles;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start (docs/SECURITY.md §1): while no account exists, a one-time setup code in
 * {@code <home>/run/setup-code} (0600, also printed in the log) lets the console's first-run page
 * create the first admin ({@code POST /auth/setup}); the local token can do the same with
 * {@code b247 user create}. Once an account exists the code is deleted and setup answers 409.
 */
final class Setup {
  private static final Logger LOG = LoggerFactory.getLogger(Setup.class);
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private final Vertx vertx;
  private final Clock clock;
  private final AccountStore store;
  private final Path file;
  private Accounts accounts;
  private Logins logins;
  private volatile String code;

  Setup(Vertx vertx, Clock clock, AccountStore store, Path home) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
    this.file = new AgentHome(home).setupCodeFile();
  }

  void wire(Accounts accounts, Logins logins) {
    this.accounts = accounts;
    this.logins = logins;
  }

  /** At start: a new code when there is no account yet, else no code (and no file). */
  Future<Void> start() {
    return store.listUsers().compose(users -> vertx.executeBlocking(() -> {
      if (users.isEmpty()) {
        code = newCode();
        PrivateFiles.write(file, (code + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("no account exists yet: create the first admin with `b247 user create NAME --admin --password-file "
            + "FILE`, or in the console with the one-time setup code {} (also in {})", code, file);
      } else {
        Files.deleteIfExists(file);
      }
      return null;
    }, false));
  }

  /** Called once the first account exists: the code is spent. */
  void done() {
    code = null;
    vertx.executeBlocking(() -> Files.deleteIfExists(file), false)
        .onFailure(err -> LOG.warn("cannot delete {}: {}", file, err.getMessage()));
  }

  Future<JsonObject> state() {
    return Future.succeededFuture(AuthReply.of(200, new JsonObject().put("needed", code != null)));
  }

  /** {@code {"setupCode", "login", "password", "displayName"?}}: creates the first admin and logs it in. */
  Future<JsonObject> run(JsonObject body, Client client) {
    if (code == null) {
      return Future.succeededFuture(AuthReply.refused(409, "conflict", Messages.get(client.language(), "setup.done")));
    }
    List<String> keys = List.of("setup", "ip:" + client.ip());
    long now = clock.millis();
    return store.failures(keys, now - LoginThrottle.WINDOW_MS, LoginThrottle.HARD_LIMIT).compose(f -> {
      LoginThrottle.Verdict v = LoginThrottle.check(f, now);
      if (!v.allowed()) {
        return Future.succeededFuture(AuthReply.throttled(client.language(), v));
      }
      String given = body.getValue("setupCode") instanceof String s ? s.strip().toUpperCase(java.util.Locale.ROOT) : "";
      if (!Tokens.same(given, code)) {
        return store.recordFailures(keys, now, now - LoginThrottle.WINDOW_MS).map(x -> AuthReply.refused(401,
            "unauthorized", Messages.get(client.language(), "setup.wrong")));
      }
      JsonObject user = new JsonObject().put("login", body.getValue("login")).put("password", body.getValue("password"))
          .put("displayName", body.getValue("displayName")).put("role", "admin");
      return accounts.create(user, client.language()).compose(a -> logins.complete(a, client, false, false, null))
          .recover(err -> {
            AgentException e = AgentException.from(err);
            if (e.failure() == Failure.INTERNAL) {
              return Future.failedFuture(err);
            }
            JsonObject reply = AuthReply.refused(e.failure().httpStatus(), e.failure().code(), e.getMessage());
            if (e instanceof au.com.backup247.agent.bus.ValidationException ve) {
              reply.getJsonObject("body").getJsonObject("error").put("fields", ve.fields());
            }
            return Future.succeededFuture(reply);
          });
    });
  }

  private static String newCode() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append(ALPHABET.charAt(Tokens.random().nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  Path file() {
    return file;
  }

}
