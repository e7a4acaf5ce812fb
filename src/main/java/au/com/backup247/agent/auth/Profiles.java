package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.catalog.UserRow;
import au.com.backup247.agent.config.AgentConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * An account's own profile (guide ch. 9.1): general, contacts, time zone, language, password,
 * encryption recovery and sessions. Second factors are in {@link TwoFactorService}. Refusals are in
 * {@code lang}, the account's own language.
 */
final class Profiles {
  static final List<String> CONTACT_FIELDS = List.of("name", "email", "address", "company", "website", "phone1",
      "phone2");
  private final Clock clock;
  private final AccountStore store;
  private final Passwords passwords;
  private final Accounts accounts;
  private final boolean recoveryKeyConfigured;

  Profiles(Clock clock, AccountStore store, Passwords passwords, Accounts accounts,
      boolean recoveryKeyConfigured) {
    this.clock = clock;
    this.store = store;
    this.passwords = passwords;
    this.accounts = accounts;
    this.recoveryKeyConfigured = recoveryKeyConfigured;
  }

  /** The profile page: the account's view plus its contacts. */
  static JsonObject view(Account a) {
    return a.view().put("contacts", a.profile().getJsonArray("contacts", new JsonArray()).copy());
  }

  /** The caller's profile page: {@link #view} plus whether encryption recovery can be turned on here. */
  JsonObject page(Account a) {
    return view(a).put("encryptionRecoveryAvailable", recoveryKeyConfigured);
  }

  /** {@code {"displayName"?, "timeZone"?, "language"?, "contacts"?, "encryptionRecovery"?}}. */
  Future<Account> update(Account a, JsonObject body, String lang) {
    for (String k : body.fieldNames()) {
      if (!Set.of("displayName", "timeZone", "language", "contacts", "encryptionRecovery", "caller").contains(k)) {
        return Future.failedFuture(Localized.invalid(lang, k, "profile.unknown"));
      }
    }
    JsonObject profile = a.profile().copy();
    JsonObject only = new JsonObject();
    for (String k : List.of("timeZone", "language")) {
      if (body.containsKey(k)) {
        only.put(k, body.getValue(k));
      }
    }
    Accounts.applyProfile(profile, only, lang);
    if (body.containsKey("contacts")) {
      profile.put("contacts", contacts(body.getValue("contacts"), lang));
    }
    if (body.containsKey("encryptionRecovery")) {
      if (!(body.getValue("encryptionRecovery") instanceof Boolean on)) {
        throw Localized.invalid(lang, "encryptionRecovery", "value.boolean");
      }
      if (on && !recoveryKeyConfigured) {
        throw Localized.invalid(lang, "encryptionRecovery", "profile.recovery.off");
      }
      profile.put("encryptionRecovery", on);
    }
    String name = a.row().displayName();
    if (body.containsKey("displayName")) {
      if (!(body.getValue("displayName") instanceof String s) || s.isBlank() || s.length() > 255) {
        throw Localized.invalid(lang, "displayName", "profile.displayName");
      }
      name = s.strip();
    }
    return accounts.save(a.with(name, a.row().role(), a.row().passwordHash(), profile, a.security(),
        clock.millis()));
  }

  /** Validates the contacts list (guide ch. 9.1.2): each with a name and an email address. */
  static JsonArray contacts(Object value, String lang) {
    if (!(value instanceof JsonArray list) || list.size() > 50) {
      throw Localized.invalid(lang, "contacts", "profile.contacts");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String at = "contacts[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject c)) {
        throw Localized.invalid(lang, at, "profile.contact");
      }
      JsonObject clean = new JsonObject();
      for (String k : c.fieldNames()) {
        if (!CONTACT_FIELDS.contains(k)) {
          throw Localized.invalid(lang, at + "." + k, "profile.contact.field", CONTACT_FIELDS);
        }
        if (!(c.getValue(k) instanceof String s) || s.length() > 500 || s.contains("\n") || s.contains("\r")) {
          throw Localized.invalid(lang, at + "." + k, "profile.contact.line");
        }
        clean.put(k, s.strip());
      }
      if (clean.getString("email", "").isEmpty() || !AgentConfig.isEmail(clean.getString("email"))) {
        throw Localized.invalid(lang, at + ".email", "profile.contact.email", String.valueOf(c.getValue("email")));
      }
      if (clean.getString("name", "").isEmpty()) {
        clean.put("name", clean.getString("email"));
      }
      out.add(clean);
    }
    return out;
  }

  /** {@code {"current", "password", "endOtherSessions"?: true}}: the current password comes first. */
  Future<Account> changePassword(Account a, JsonObject body, String currentHash, String lang) {
    if (!(body.getValue("current") instanceof String current)) {
      return Future.failedFuture(Localized.invalid(lang, "current", "profile.current.required"));
    }
    String key = "login:" + UserRow.loginKey(a.login());
    long now = clock.millis();
    return store.failures(List.of(key), now - LoginThrottle.WINDOW_MS, LoginThrottle.HARD_LIMIT)
        .compose(f -> {
          LoginThrottle.Verdict v = LoginThrottle.check(f, now);
          if (!v.allowed()) {
            return Future.failedFuture(Localized.failure(Failure.TOO_MANY_REQUESTS, lang, "login.throttled",
                v.retryAfterSeconds()));
          }
          return passwords.verify(current, a.row().passwordHash());
        })
        .compose(ok -> ok ? Future.succeededFuture()
            : store.recordFailures(List.of(key), now, now - LoginThrottle.WINDOW_MS)
                .compose(x -> Future.failedFuture(Localized.invalid(lang, "current", "profile.current.wrong"))))
        .compose(x -> accounts.setPassword(a, body.getValue("password"), currentHash,
            !Boolean.FALSE.equals(body.getValue("endOtherSessions")), lang));
  }
}
