package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.catalog.UserRow;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Managing accounts (admins, and the local token): create, read, change, delete, set a password,
 * unlock and reset the second factor. Every change that weakens an account's protection ends its
 * sessions. Passwords are checked by {@link PasswordPolicy} and hashed on a worker thread. Refusals
 * are in {@code lang}, the language of whoever reads the answer.
 */
final class Accounts {
  private final Clock clock;
  private final AccountStore store;
  private final Passwords passwords;
  private final Sessions sessions;
  private final Runnable firstAccountCreated;
  private final JsonArray agentContacts;

  /**
   * {@code agentContacts}: the contacts of agent.json, which become the first account's (they
   * receive the emailed reports; docs/SECURITY.md §1).
   */
  Accounts(Clock clock, AccountStore store, Passwords passwords, Sessions sessions,
      Runnable firstAccountCreated, JsonArray agentContacts) {
    this.agentContacts = agentContacts.copy();
    this.clock = clock;
    this.store = store;
    this.passwords = passwords;
    this.sessions = sessions;
    this.firstAccountCreated = firstAccountCreated;
  }

  /** {@code {"login", "password", "displayName"?, "role"?, "folders"?, "timeZone"?, "language"?}}. */
  Future<Account> create(JsonObject body, String lang) {
    String login = body.getValue("login") instanceof String s ? s : null;
    Optional<String> bad = LoginNames.problem(lang, login);
    if (bad.isPresent()) {
      return Future.failedFuture(ValidationException.of("login", bad.get()));
    }
    String role = body.getValue("role", "user") instanceof String s ? s : "";
    if (!role.equals("admin") && !role.equals("user")) {
      return Future.failedFuture(Localized.invalid(lang, "role", "account.role",
          String.valueOf(body.getValue("role"))));
    }
    JsonObject profile = new JsonObject().put("timeZone", null).put("language", "en")
        .put("folders", new JsonArray(defaultFolders(login))).put("contacts", new JsonArray())
        .put("encryptionRecovery", false).put("lastLogin", null);
    try {
      applyProfile(profile, body, lang);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    String displayName = body.getValue("displayName", login) instanceof String s ? s.strip() : login;
    return newHash(login, body.getValue("password"), lang).compose(hash -> store.listUsers().compose(all -> {
      long now = clock.millis();
      if (all.isEmpty() && !body.containsKey("contacts")) {
        profile.put("contacts", agentContacts.copy());
      }
      JsonObject security = new JsonObject().put("twoFactor", false).put("authenticators", new JsonArray())
          .put("recoveryCodes", new JsonArray());
      UserRow row = new UserRow(0, login, displayName.isEmpty() ? login : displayName, role, hash, profile.encode(),
          security.encode(), 1, now, now);
      return store.insertUser(row).compose(id -> {
        if (all.isEmpty()) {
          firstAccountCreated.run();
        }
        return store.getUser(id);
      }).map(Account::of);
    }));
  }

  /** A user's own folder, {@code /home/<login>}, when it exists. */
  private static List<String> defaultFolders(String login) {
    Path home = Path.of("/home", login);
    return Files.isDirectory(home) ? List.of(home.toString()) : List.of();
  }

  /** Checks the password rules and hashes it on a worker thread. */
  Future<String> newHash(String login, Object password, String lang) {
    if (!(password instanceof String pw)) {
      return Future.failedFuture(Localized.invalid(lang, "password", "account.password.required"));
    }
    Optional<String> problem = PasswordPolicy.problem(lang, login, pw);
    if (problem.isPresent()) {
      return Future.failedFuture(ValidationException.of("password", problem.get()));
    }
    return passwords.hash(pw);
  }

  /** Applies {@code timeZone}, {@code language} and {@code folders} of {@code body} when given. */
  static void applyProfile(JsonObject profile, JsonObject body, String lang) {
    if (body.containsKey("timeZone")) {
      Object tz = body.getValue("timeZone");
      if (tz != null) {
        try {
          ZoneId.of(String.valueOf(tz));
        } catch (DateTimeException e) {
          throw Localized.invalid(lang, "timeZone", "account.timeZone", String.valueOf(tz));
        }
      }
      profile.put("timeZone", tz);
    }
    if (body.containsKey("language")) {
      Object language = body.getValue("language");
      if (!Messages.LANGUAGES.contains(String.valueOf(language))) {
        throw Localized.invalid(lang, "language", "account.language", Messages.LANGUAGES, String.valueOf(language));
      }
      profile.put("language", language);
    }
    if (body.containsKey("folders")) {
      if (!(body.getValue("folders") instanceof JsonArray a)) {
        throw Localized.invalid(lang, "folders", "account.folders");
      }
      for (int i = 0; i < a.size(); i++) {
        if (!(a.getValue(i) instanceof String f) || !Path.of(f).isAbsolute() || !Path.of(f).normalize().toString()
            .equals(f.length() > 1 && f.endsWith("/") ? f.substring(0, f.length() - 1) : f)) {
          throw Localized.invalid(lang, "folders[" + i + "]", "account.folder", String.valueOf(a.getValue(i)));
        }
      }
      profile.put("folders", a.copy());
    }
  }

  Future<Account> byLogin(String login, String lang) {
    return store.findUser(String.valueOf(login)).compose(u -> u.isPresent()
        ? Future.succeededFuture(Account.of(u.get()))
        : Future.failedFuture(Localized.failure(Failure.NOT_FOUND, lang, "account.notFound", String.valueOf(login))));
  }

  Future<List<Account>> list() {
    return store.listUsers().map(rows -> rows.stream().map(Account::of).toList());
  }

  /** {@code {"displayName"?, "role"?, "folders"?, "timeZone"?, "language"?}} of another account. */
  Future<Account> update(Account a, JsonObject body, Caller by) {
    String lang = by.language();
    JsonObject profile = a.profile().copy();
    applyProfile(profile, body, lang);
    String role = body.containsKey("role") ? String.valueOf(body.getValue("role")) : a.row().role();
    if (!role.equals("admin") && !role.equals("user")) {
      return Future.failedFuture(Localized.invalid(lang, "role", "account.role",
          String.valueOf(body.getValue("role"))));
    }
    String name = body.getValue("displayName") instanceof String s && !s.isBlank() ? s.strip() : a.row().displayName();
    Future<Void> lastAdmin = a.admin() && role.equals("user") ? requireAnotherAdmin(a, lang) : Future.succeededFuture();
    return lastAdmin.compose(v -> save(a.with(name, role, a.row().passwordHash(), profile, a.security(),
        clock.millis())));
  }

  Future<Void> delete(Account a, String lang) {
    return (a.admin() ? requireAnotherAdmin(a, lang) : Future.<Void>succeededFuture())
        .compose(v -> store.deleteUser(a.id()));
  }

  private Future<Void> requireAnotherAdmin(Account a, String lang) {
    return store.listUsers().compose(all -> all.stream().anyMatch(u -> u.id() != a.id() && u.role().equals("admin"))
        ? Future.succeededFuture()
        : Future.failedFuture(Localized.failure(Failure.CONFLICT, lang, "account.lastAdmin", a.login())));
  }

  /**
   * Sets a new password (rules checked); ends every remembered device and, with {@code endOthers},
   * every session except {@code keepHash} (null: all of them).
   */
  Future<Account> setPassword(Account a, Object password, String keepHash, boolean endOthers, String lang) {
    return newHash(a.login(), password, lang)
        .compose(h -> save(a.with(a.row().displayName(), a.row().role(), h, a.profile(), a.security(), clock.millis())))
        .compose(saved -> (endOthers ? sessions.endAll(a.id(), keepHash) : sessions.endRemembered(a.id()))
            .map(saved));
  }

  /** Forgets the failed logins and second factors of an account (lifts the throttle). */
  Future<Void> unlock(Account a) {
    return store.clearFailures(List.of("login:" + UserRow.loginKey(a.login()), "2fa:" + a.id()));
  }

  /** Turns 2FA off and removes every authenticator and recovery code; ends the account's sessions. */
  Future<Account> resetTwoFactor(Account a) {
    JsonObject security = new JsonObject().put("twoFactor", false).put("authenticators", new JsonArray())
        .put("recoveryCodes", new JsonArray());
    return save(a.with(a.profile(), security, clock.millis())).compose(saved -> sessions.endAll(a.id(), null)
        .map(saved));
  }

  /** Writes the account (with the version it was read at) and returns it as stored. */
  Future<Account> save(Account a) {
    return store.updateUser(a.row()).compose(v -> store.getUser(a.id())).map(Account::of);
  }
}
