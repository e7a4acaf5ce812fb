package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.catalog.UserRow;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Login with a password (or a remembered device) and then, when 2FA is on, a second factor
 * (docs/SECURITY.md §3, §4). Every answer is an {@link AuthReply}.
 *
 * <p>Order of a password login: the throttle first (no password is checked for a refused attempt);
 * then the Argon2id check on a worker thread, against a dummy hash when the login name does not
 * exist, so status, body and time are the same either way; failures are counted under the login
 * name and the client address, or under the trusted device the request carries for that account.
 */
final class Logins {
  static final String SESSION_COOKIE = "b247_session";
  /** A browser's remembered device ("Save password" with cookieOnly): its token, HttpOnly, never in a body. */
  static final String REMEMBER_COOKIE = "b247_remember";
  private final Clock clock;
  private final AccountStore store;
  private final Passwords passwords;
  private final Sessions sessions;
  private final Challenges challenges;
  private final DeviceCookies devices;
  private final SecondFactors factors;
  private final boolean allowRemember;

  Logins(Clock clock, AccountStore store, Passwords passwords, Sessions sessions, DeviceCookies devices,
      SecondFactors factors, boolean allowRemember) {
    this.clock = clock;
    this.store = store;
    this.passwords = passwords;
    this.sessions = sessions;
    this.challenges = new Challenges(clock);
    this.devices = devices;
    this.factors = factors;
    this.allowRemember = allowRemember;
  }

  /**
   * {@code {"login", "password" | "rememberToken", "remember"?, "cookieOnly"?}}; the API fills in
   * {@code rememberToken} from the {@link #REMEMBER_COOKIE} cookie when the body has neither.
   */
  Future<JsonObject> login(JsonObject body, Client client) {
    String login = body.getValue("login") instanceof String s ? s : null;
    String password = body.getValue("password") instanceof String s ? s : null;
    String remembered = body.getValue("rememberToken") instanceof String s ? s : null;
    if (login == null || (password == null) == (remembered == null)) {
      return Future.succeededFuture(AuthReply.refused(400, "bad_request", Messages.get(client.language(),
          "login.body")));
    }
    String loginKey = "login:" + UserRow.loginKey(login);
    String ipKey = "ip:" + client.ip();
    Optional<DeviceCookies.Device> device = devices.parse(client.deviceCookie());
    List<String> keys = new ArrayList<>(List.of(loginKey, ipKey));
    device.ifPresent(d -> keys.add(d.throttleKey()));
    long now = clock.millis();
    return store.failures(keys, now - LoginThrottle.WINDOW_MS, LoginThrottle.HARD_LIMIT)
        .compose(failures -> store.findUser(login).compose(found -> {
          boolean trusted = device.isPresent() && found.isPresent() && device.get().userId() == found.get().id()
              && LoginThrottle.deviceTrusted(failures.get(device.get().throttleKey()), now);
          List<String> counted = trusted ? List.of(device.get().throttleKey()) : List.of(loginKey, ipKey);
          LoginThrottle.Verdict v = LoginThrottle.check(pick(failures, counted), now);
          if (!v.allowed()) {
            return Future.succeededFuture(AuthReply.throttled(client.language(), v));
          }
          return check(found, password, remembered).compose(ok -> {
            if (!ok) {
              return store.recordFailures(counted, now, now - LoginThrottle.WINDOW_MS)
                  .map(x -> AuthReply.wrongLogin(client.language()));
            }
            Account a = Account.of(found.get());
            // a trusted device's success says nothing about other clients: their failures stay counted
            return store.clearFailures(trusted ? counted : List.of(loginKey)).compose(x -> rehash(a, password))
                .compose(x -> passwordAccepted(a, client, Boolean.TRUE.equals(body.getValue("remember")),
                    Boolean.TRUE.equals(body.getValue("cookieOnly"))));
          });
        }));
  }

  private static Map<String, List<Long>> pick(Map<String, List<Long>> all, List<String> keys) {
    Map<String, List<Long>> out = new java.util.LinkedHashMap<>();
    keys.forEach(k -> out.put(k, all.getOrDefault(k, List.of())));
    return out;
  }

  /** The password (Argon2id on a worker) or the remembered device's token. */
  private Future<Boolean> check(Optional<UserRow> found, String password, String remembered) {
    if (remembered != null) {
      if (found.isEmpty()) {
        return Future.succeededFuture(false);
      }
      return sessions.resolve(remembered, Sessions.REMEMBERED, "en")
          .map(s -> s.userId() == found.get().id())
          .otherwise(false);
    }
    return passwords.verify(password, found.map(UserRow::passwordHash).orElse(null));
  }

  /** Re-hashes a password whose hash has weaker parameters than the current ones. */
  private Future<Void> rehash(Account a, String password) {
    if (password == null || !passwords.needsRehash(a.row().passwordHash())) {
      return Future.succeededFuture();
    }
    return passwords.hash(password)
        .compose(h -> store.updateUser(a.with(a.row().displayName(), a.row().role(), h, a.profile(), a.security(),
            clock.millis()).row()))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture()); // a concurrent change wins; the next login re-hashes
  }

  /**
   * Ends the remembered device of {@code token} (a browser's saved password) and removes its cookie;
   * {@code forgotten} says whether there was a live one. Needs no session: the token is the credential.
   */
  Future<JsonObject> forget(String token) {
    Future<Boolean> ended = token == null ? Future.succeededFuture(false)
        : sessions.resolve(token, Sessions.REMEMBERED, "en")
            .compose(s -> store.deleteSessions(s.userId(), s.tokenHash(), null, null, null, clock.millis()))
            .map(n -> n > 0)
            .otherwise(false);
    return ended.map(f -> AuthReply.cookie(AuthReply.of(200, new JsonObject().put("forgotten", f)), REMEMBER_COOKIE,
        "", 0));
  }

  /** Whether "Save password" is allowed here ({@code auth.allowRememberDevice}). */
  boolean rememberAllowed() {
    return allowRemember;
  }

  private Future<JsonObject> passwordAccepted(Account a, Client client, boolean remember, boolean cookieOnly) {
    if (remember && !allowRemember) {
      return Future.succeededFuture(AuthReply.refused(403, "forbidden", Messages.get(client.language(),
          "login.remember.off")));
    }
    if (!a.twoFactorOn()) {
      return complete(a, client, remember, cookieOnly, null);
    }
    Challenges.Challenge c = challenges.open(a.id(), remember);
    c.state.put("cookieOnly", cookieOnly);
    JsonObject tf = new JsonObject().put("challenge", c.id).put("methods", factors.methods(a))
        .put("expiresAt", c.expiresAt).put("sms", factors.smsTargets(a));
    return Future.succeededFuture(AuthReply.of(200, new JsonObject().put("twoFactor", tf)));
  }

  /** {@code {"challenge", "method", "code"}}: completes a login waiting for its second factor. */
  Future<JsonObject> secondFactor(JsonObject body, Client client) {
    Optional<Challenges.Challenge> c = challenges.get(body.getString("challenge"));
    if (c.isEmpty()) {
      return Future.succeededFuture(expired(client.language()));
    }
    String method = body.getValue("method") instanceof String s ? s : "";
    String code = body.getValue("code") instanceof String s ? s : "";
    String key = "2fa:" + c.get().userId;
    long now = clock.millis();
    return store.failures(List.of(key), now - LoginThrottle.WINDOW_MS, LoginThrottle.HARD_LIMIT)
        .compose(f -> {
          LoginThrottle.Verdict v = LoginThrottle.check(f, now);
          if (!v.allowed()) {
            return Future.succeededFuture(AuthReply.throttled(client.language(), v));
          }
          return store.getUser(c.get().userId).map(Account::of).compose(a -> {
            if (!factors.methods(a).contains(method)) {
              return Future.succeededFuture(AuthReply.refused(400, "bad_request", Messages.get(client.language(),
                  "login.method", factors.methods(a), method)));
            }
            return factors.verify(a, method, code, c.get()).compose(used -> {
              if (used.isEmpty()) {
                int left = challenges.wrong(c.get());
                return store.recordFailures(List.of(key), now, now - LoginThrottle.WINDOW_MS)
                    .map(x -> AuthReply.refused(401, "unauthorized", left == 0
                        ? Messages.get(client.language(), "login.code.last")
                        : Messages.get(client.language(), "login.code.wrong", left)));
              }
              challenges.close(c.get());
              return store.clearFailures(List.of(key)).compose(x -> store.getUser(a.id())).map(Account::of)
                  .compose(fresh -> complete(fresh, client, c.get().remember,
                      c.get().state.getBoolean("cookieOnly", false), used.get()));
            });
          });
        });
  }

  /** {@code {"challenge", "authenticator"}}: sends an SMS passcode for a pending login. */
  Future<JsonObject> sendSms(JsonObject body) {
    Optional<Challenges.Challenge> c = challenges.get(body.getString("challenge"));
    String lang = Client.fromJson(body.getJsonObject("client")).language();
    if (c.isEmpty()) {
      return Future.succeededFuture(expired(lang));
    }
    return store.getUser(c.get().userId).map(Account::of)
        .compose(a -> factors.sendSms(a, body.getString("authenticator"), c.get(), lang))
        .map(r -> AuthReply.of(200, r))
        .recover(err -> {
          AgentException e = AgentException.from(err);
          return Future.succeededFuture(AuthReply.refused(e.failure().httpStatus(), e.failure().code(),
              e.getMessage()));
        });
  }

  private static JsonObject expired(String lang) {
    return AuthReply.refused(401, "unauthorized", Messages.get(lang, "login.expired"));
  }

  /** Opens the session (and remembered device), records the login, and answers with cookies. */
  Future<JsonObject> complete(Account a, Client client, boolean remember, boolean cookieOnly, String device) {
    return sessions.open(a.id(), client, device).compose(s -> {
      Future<Optional<Sessions.Opened>> rem = remember
          ? sessions.remember(a.id(), client).map(Optional::of) : Future.succeededFuture(Optional.empty());
      return rem.compose(r -> recordLogin(a, client, device).map(view -> {
        JsonObject body = new JsonObject().put("user", view).put("csrfToken", s.csrf()).put("expiresAt", s.expiresAt());
        if (!cookieOnly) {
          body.put("token", s.token());
        }
        JsonObject reply = AuthReply.of(200, body);
        r.ifPresent(x -> {
          body.put("rememberExpiresAt", x.expiresAt());
          if (cookieOnly) {
            AuthReply.cookie(reply, REMEMBER_COOKIE, x.token(), (x.expiresAt() - clock.millis()) / 1000);
          } else {
            body.put("rememberToken", x.token());
          }
        });
        AuthReply.cookie(reply, SESSION_COOKIE, s.token(), (s.expiresAt() - clock.millis()) / 1000);
        if (devices.parse(client.deviceCookie()).filter(d -> d.userId() == a.id()).isEmpty()) {
          AuthReply.cookie(reply, DeviceCookies.NAME, devices.issue(a.id()), DeviceCookies.MAX_AGE_S);
        }
        return reply;
      }));
    });
  }

  /** Writes the last successful login into the profile (a concurrent change is retried once). */
  private Future<JsonObject> recordLogin(Account a, Client client, String device) {
    JsonObject last = new JsonObject().put("time", clock.millis()).put("ip", client.ip())
        .put("userAgent", client.userAgent()).put("device", device);
    return write(a, last).recover(err -> AgentException.from(err).failure() == Failure.CONFLICT
        ? store.getUser(a.id()).map(Account::of).compose(fresh -> write(fresh, last))
        : Future.failedFuture(err));
  }

  private Future<JsonObject> write(Account a, JsonObject last) {
    JsonObject profile = a.profile().copy().put("lastLogin", last);
    Account next = a.with(profile, a.security(), a.row().updatedAt());
    return store.updateUser(next.row()).map(v -> next.view());
  }
}
