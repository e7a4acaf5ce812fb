package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The auth service's operations by name (bound to {@code b247.auth.<name>} by {@link AuthVerticle}):
 * who is calling, the login routes, accounts (admins), the caller's own profile and second factors.
 * Every operation that acts for a caller checks here what the caller may do, and answers in the
 * caller's language ({@link Caller#language()}; the login routes: the client's).
 */
final class AuthService {
  private final AccountStore store;
  private final Sessions sessions;
  private final Logins logins;
  private final Accounts accounts;
  private final Profiles profiles;
  private final TwoFactorService twoFactor;
  private final Setup setup;
  private final String localToken;

  AuthService(AccountStore store, Sessions sessions, Logins logins, Accounts accounts, Profiles profiles,
      TwoFactorService twoFactor, Setup setup, String localToken) {
    this.store = store;
    this.sessions = sessions;
    this.logins = logins;
    this.accounts = accounts;
    this.profiles = profiles;
    this.twoFactor = twoFactor;
    this.setup = setup;
    this.localToken = localToken;
  }

  /** Every operation but {@code authenticate}, by the name that follows {@code b247.auth.}. */
  Map<String, Function<JsonObject, Future<JsonObject>>> operations() {
    Map<String, Function<JsonObject, Future<JsonObject>>> ops = new LinkedHashMap<>();
    ops.put("login", b -> logins.login(b, Client.fromJson(b.getJsonObject("client"))));
    ops.put("second-factor", b -> logins.secondFactor(b, Client.fromJson(b.getJsonObject("client"))));
    ops.put("sms-send", logins::sendSms);
    ops.put("setup-state", b -> setup.state().map(r -> {
      r.getJsonObject("body").put("rememberAllowed", logins.rememberAllowed());
      return r;
    }));
    ops.put("setup", b -> setup.run(b, Client.fromJson(b.getJsonObject("client"))));
    ops.put("forget-device", b -> logins.forget(b.getValue("rememberToken") instanceof String s ? s : null));
    ops.put("logout", this::logout);
    ops.put("session-alive", b -> sessions.alive(b.getString("tokenHash", ""))
        .map(alive -> new JsonObject().put("alive", alive)));
    ops.put("me", b -> self(b, (a, s) -> sessionCsrf(s).map(csrf -> Profiles.view(a).put("csrfToken", csrf))));
    ops.put("users.list", b -> admin(b).compose(v -> accounts.list())
        .map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(Account::view).toList()))));
    ops.put("users.get", b -> other(b, a -> Future.succeededFuture(Profiles.view(a))));
    ops.put("users.create", b -> admin(b).compose(v -> accounts.create(b.getJsonObject("user", new JsonObject()),
        lang(b))).map(Profiles::view));
    ops.put("users.update", b -> other(b, a -> accounts.update(a, b.getJsonObject("user", new JsonObject()),
        Caller.of(b)).map(Profiles::view)));
    ops.put("users.delete", b -> other(b, a -> accounts.delete(a, lang(b))
        .map(v -> new JsonObject().put("login", a.login()).put("deleted", true))));
    ops.put("users.password", b -> other(b, a -> accounts.setPassword(a, b.getValue("password"), null, true, lang(b))
        .map(x -> new JsonObject().put("login", a.login()).put("passwordChanged", true))));
    ops.put("users.unlock", b -> other(b, a -> accounts.unlock(a)
        .map(v -> new JsonObject().put("login", a.login()).put("unlocked", true))));
    ops.put("users.reset-2fa", b -> other(b, a -> accounts.resetTwoFactor(a).map(Profiles::view)));
    ops.put("profile.get", b -> self(b, (a, s) -> Future.succeededFuture(profiles.page(a))));
    ops.put("profile.update", b -> self(b, (a, s) -> profiles.update(a, b.getJsonObject("profile",
        new JsonObject()), lang(b)).map(profiles::page)));
    ops.put("profile.password", b -> self(b, (a, s) -> profiles.changePassword(a, b, s.getString("tokenHash"),
        lang(b)).map(x -> new JsonObject().put("passwordChanged", true))));
    ops.put("profile.sessions", b -> self(b, (a, s) -> sessions.list(a.id(), s.getString("tokenHash"))
        .map(l -> new JsonObject().put("items", new JsonArray(l)))));
    ops.put("profile.revoke-session", b -> self(b, (a, s) -> sessions.revoke(a.id(), b.getString("id"), lang(b))
        .map(v -> new JsonObject().put("id", b.getString("id")).put("revoked", true))));
    twoFactor.operations().forEach((name, op) -> ops.put("2fa." + name, b -> self(b, (a, s) -> op.apply(a, b))));
    return ops;
  }

  /**
   * Who sends this request: the local token (as the account named by {@code asUser}, if any), or a
   * session (a cookie session must send its CSRF token with an unsafe method).
   */
  Future<JsonObject> authenticate(JsonObject b) {
    String bearer = b.getString("bearer");
    if (bearer != null && Tokens.same(bearer, localToken)) {
      String as = b.getString("asUser");
      JsonObject local = new JsonObject().put("kind", "local");
      if (as == null) {
        return Future.succeededFuture(new JsonObject().put("caller", Caller.LOCAL.toJson()).put("session", local));
      }
      return accounts.byLogin(as, b.getString("language", "en"))
          .map(a -> new JsonObject().put("caller", a.caller().toJson()).put("session", local));
    }
    boolean cookie = bearer == null;
    String token = cookie ? b.getString("cookie") : bearer;
    String lang = b.getString("language", "en");
    return sessions.resolve(token, Sessions.SESSION, lang).compose(s -> {
      String method = b.getString("method", "GET");
      boolean unsafe = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
      if (cookie && unsafe && !Tokens.same(s.csrf(), b.getString("csrf"))) {
        return Future.failedFuture(Localized.failure(Failure.FORBIDDEN, lang, "csrf.missing"));
      }
      return store.getUser(s.userId()).map(Account::of).map(a -> new JsonObject().put("caller", a.caller().toJson())
          .put("session", new JsonObject().put("kind", "session").put("tokenHash", s.tokenHash())));
    });
  }

  /** Ends the caller's session ({@code "everywhere": true}: all of its account's sessions). */
  private Future<JsonObject> logout(JsonObject b) {
    JsonObject s = b.getJsonObject("session", new JsonObject());
    JsonObject reply = AuthReply.of(200, new JsonObject().put("loggedOut", true));
    AuthReply.cookie(reply, Logins.SESSION_COOKIE, "", 0);
    if (!"session".equals(s.getString("kind"))) {
      return Future.succeededFuture(reply); // the local token has no session to end
    }
    return store.getSession(s.getString("tokenHash")).compose(row -> row.isEmpty() ? Future.succeededFuture(0)
            : sessions.close(row.get(), b.getBoolean("everywhere", false)))
        .map(n -> reply);
  }

  private Future<String> sessionCsrf(JsonObject session) {
    String hash = session.getString("tokenHash");
    return hash == null ? Future.succeededFuture(null)
        : store.getSession(hash).map(s -> s.map(r -> r.csrf()).orElse(null));
  }

  /** Runs {@code op} on the caller's own account; the local token without {@code asUser} has none. */
  private Future<JsonObject> self(JsonObject b, BiFunction<Account, JsonObject, Future<JsonObject>> op) {
    Caller c = Caller.of(b);
    if (c.userId() == null) {
      return Future.failedFuture(Localized.failure(Failure.BAD_REQUEST, c.language(), "account.local"));
    }
    return store.getUser(c.userId()).map(Account::of).compose(a -> op.apply(a, b.getJsonObject("session",
        new JsonObject())));
  }

  private static Future<Void> admin(JsonObject b) {
    Caller c = Caller.of(b);
    return c.isAdmin() ? Future.succeededFuture()
        : Future.failedFuture(new AgentException(Failure.FORBIDDEN, Messages.get(c.language(), "admin.only",
            Messages.get(c.language(), "what.accounts"), c.login())));
  }

  /** Runs {@code op} on the account named {@code login} (admins only). */
  private Future<JsonObject> other(JsonObject b, Function<Account, Future<JsonObject>> op) {
    return admin(b).compose(v -> accounts.byLogin(b.getString("login"), lang(b))).compose(op);
  }

  private static String lang(JsonObject b) {
    return Localized.language(b);
  }

  /** The contacts for the reports of a set owned by {@code ownerId} (null: every admin's). */
  Future<JsonObject> contacts(JsonObject b) {
    Long owner = b.getLong("ownerId");
    return accounts.list().map(all -> {
      JsonArray out = new JsonArray();
      String zone = null;
      for (Account a : all) {
        boolean mine = owner == null ? a.admin() : a.id() == owner;
        if (mine) {
          a.profile().getJsonArray("contacts", new JsonArray()).forEach(out::add);
          zone = zone != null ? zone : a.profile().getString("timeZone");
        }
      }
      return new JsonObject().put("contacts", out).put("timeZone", zone);
    });
  }

  /** The time zone of each account that set one: {@code {"<userId>": "Australia/Sydney"}}. */
  Future<JsonObject> timeZones() {
    return accounts.list().map(all -> {
      JsonObject out = new JsonObject();
      for (Account a : all) {
        String tz = a.profile().getString("timeZone");
        if (tz != null) {
          out.put(String.valueOf(a.id()), tz);
        }
      }
      return out;
    });
  }
}
