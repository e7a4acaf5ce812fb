package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second factors (guide ch. 1.4, 6, 7, 8; docs/SECURITY.md §3): enrolment and use of TOTP apps,
 * SMS passcodes and recovery codes.
 *
 * <p>Enrolment: an authenticator is added unconfirmed (a TOTP secret shown once as an
 * {@code otpauth://} URI, a QR code and base32; or an SMS passcode sent to the number) and counts
 * only once a first code confirms it. The first confirmed one turns 2FA on and shows 10 recovery
 * codes once. Every change needs the account's password again (ASVS 7.5.1) and ends the account's
 * other sessions (ASVS 7.4.3). TOTP secrets and phone numbers are sealed in the catalog
 * ({@link SecretBox}); recovery codes and passcodes are kept only as hashes. A TOTP code is
 * accepted once: its step must be later than the last accepted one, written with the account's
 * version so two requests with the same code cannot both pass.
 *
 * <p>Refusals are in the caller's language ({@code "caller"} of the bus body), or at login the
 * client's; the SMS text is in the account's language.
 */
final class TwoFactorService implements SecondFactors {
  private static final Logger LOG = LoggerFactory.getLogger(TwoFactorService.class);
  static final String ISSUER = "B247 Agent";
  private final Clock clock;
  private final AccountStore store;
  private final Passwords passwords;
  private final Accounts accounts;
  private final Sessions sessions;
  private final SecretBox box;
  private final Totp totp;
  private final SmsPasscodes passcodes;
  private final SmsGateway sms;
  /** Passcodes of SMS authenticators being added, by authenticator id (they live 5 minutes). */
  private final Map<String, SmsPasscodes.State> enrolling = new java.util.concurrent.ConcurrentHashMap<>();

  TwoFactorService(Clock clock, AccountStore store, Passwords passwords, Accounts accounts,
      Sessions sessions, AgentSecret secret, SmsGateway sms) {
    this.clock = clock;
    this.store = store;
    this.passwords = passwords;
    this.accounts = accounts;
    this.sessions = sessions;
    this.box = new SecretBox(secret, Tokens.random());
    this.totp = new Totp(clock);
    this.passcodes = new SmsPasscodes(clock, Tokens.random(), secret.derive("sms-passcode v1"));
    this.sms = sms;
  }

  /** The profile's 2FA operations by name (bound as {@code b247.auth.2fa.<name>}); the body has the route's fields. */
  Map<String, BiFunction<Account, JsonObject, Future<JsonObject>>> operations() {
    Map<String, BiFunction<Account, JsonObject, Future<JsonObject>>> ops = new LinkedHashMap<>();
    ops.put("get", (a, b) -> Future.succeededFuture(state(a)));
    ops.put("set", this::setEnabled);
    ops.put("totp-add", this::addTotp);
    ops.put("sms-add", this::addSms);
    ops.put("resend", this::resendEnrolment);
    ops.put("confirm", this::confirm);
    ops.put("re-pair", this::rePair);
    ops.put("remove", this::remove);
    ops.put("recovery-codes", (a, b) -> reauthenticated(a, b).compose(x -> newRecoveryCodes(a)));
    return ops;
  }

  private JsonObject state(Account a) {
    JsonObject v = a.view();
    return new JsonObject().put("enabled", a.twoFactorOn()).put("authenticators", v.getJsonArray("authenticators"))
        .put("recoveryCodesLeft", v.getLong("recoveryCodesLeft")).put("smsAvailable", sms != null);
  }

  // ------------------------------------------------------------------------------------ enrolment

  /** {@code {"enabled", "password"}}: 2FA on needs a confirmed authenticator; off keeps them (guide ch. 9.1.6). */
  private Future<JsonObject> setEnabled(Account a, JsonObject b) {
    String lang = Localized.language(b);
    if (!(b.getValue("enabled") instanceof Boolean on)) {
      return Future.failedFuture(Localized.invalid(lang, "enabled", "value.boolean"));
    }
    if (on && a.confirmedAuthenticators().isEmpty()) {
      return Future.failedFuture(Localized.invalid(lang, "enabled", "tfa.confirmFirst"));
    }
    return reauthenticated(a, b).compose(x -> change(a, b, s -> s.put("twoFactor", on)))
        .map(this::state);
  }

  /** {@code {"name", "password"}}: a new TOTP authenticator, shown once, confirmed by its first code. */
  private Future<JsonObject> addTotp(Account a, JsonObject b) {
    String name = name(b);
    byte[] secret = totp.newSecret(Tokens.random());
    String id = Tokens.newId(6);
    JsonObject auth = new JsonObject().put("id", id).put("type", "totp").put("name", name)
        .put("secret", box.seal(secret, purpose(a, id, "totp"))).put("confirmed", false).put("lastStep", -1L)
        .put("createdAt", clock.millis()).put("lastUsed", null);
    return reauthenticated(a, b).compose(x -> change(a, b, s -> s.put("authenticators",
            authenticators(s).add(auth))))
        .map(saved -> shown(a, id, secret));
  }

  /** What an authenticator app needs, shown once: the otpauth URI, its QR code and the base32 secret. */
  private JsonObject shown(Account a, String id, byte[] secret) {
    String uri = totp.otpauthUri(ISSUER, a.login(), secret);
    return new JsonObject().put("id", id).put("secret", Totp.base32(secret)).put("otpauthUri", uri)
        .put("qrSvg", QrCode.svg(uri));
  }

  /** {@code {"name", "phone", "password"}}: a new SMS authenticator, confirmed by the passcode it is sent. */
  private Future<JsonObject> addSms(Account a, JsonObject b) {
    String lang = Localized.language(b);
    if (sms == null) {
      return Future.failedFuture(Localized.failure(Failure.CONFLICT, lang, "tfa.sms.off"));
    }
    String phone = b.getValue("phone") instanceof String p ? p.replaceAll("[\\s()-]", "") : "";
    if (!SmsPasscodes.isPhoneNumber(phone)) {
      return Future.failedFuture(Localized.invalid(lang, "phone", "tfa.phone"));
    }
    String name = name(b);
    String id = Tokens.newId(6);
    JsonObject auth = new JsonObject().put("id", id).put("type", "sms").put("name", name)
        .put("phone", box.seal(phone.getBytes(StandardCharsets.UTF_8), purpose(a, id, "sms")))
        .put("phoneMasked", SmsPasscodes.maskPhone(phone)).put("confirmed", false).put("createdAt", clock.millis())
        .put("lastUsed", null);
    SmsPasscodes.Issued issued = passcodes.issue("enrol:" + id);
    return reauthenticated(a, b)
        .compose(x -> sms.send(phone, text(a, issued.passcode()), lang))
        .compose(x -> change(a, b, s -> s.put("authenticators", authenticators(s).add(auth))))
        .map(saved -> {
          enrolling.put(id, issued.state());
          return countdown(issued.state()).put("id", id).put("phone", SmsPasscodes.maskPhone(phone));
        });
  }

  /** The countdowns of a passcode just sent: seconds until it expires, until a resend, resends left. */
  private JsonObject countdown(SmsPasscodes.State st) {
    return new JsonObject().put("expiresIn", passcodes.expiresIn(st)).put("resendIn", passcodes.resendIn(st))
        .put("resendsLeft", SmsPasscodes.resendsLeft(st));
  }

  /**
   * {@code {"authenticatorId"}}: a new passcode for a phone being added (the previous one dies), from
   * 30 s after the last send, 3 times at most (TOO_MANY_REQUESTS otherwise, saying when).
   */
  private Future<JsonObject> resendEnrolment(Account a, JsonObject b) {
    String id = b.getString("authenticatorId");
    String lang = Localized.language(b);
    Optional<JsonObject> auth = find(a, id).filter(x -> x.getString("type").equals("sms")
        && !x.getBoolean("confirmed", false));
    SmsPasscodes.State st = enrolling.get(String.valueOf(id));
    if (sms == null) {
      return Future.failedFuture(Localized.failure(Failure.CONFLICT, lang, "tfa.sms.off"));
    }
    if (auth.isEmpty() || st == null) {
      return Future.failedFuture(Localized.failure(Failure.NOT_FOUND, lang, "tfa.notFound", String.valueOf(id)));
    }
    String phone = phoneOf(a, auth.get());
    SmsPasscodes.Issued issued;
    try {
      issued = passcodes.resend(st, lang);
    } catch (AgentException e) {
      return Future.failedFuture(e);
    }
    return sms.send(phone, text(a, issued.passcode()), lang).map(v -> {
      enrolling.put(id, issued.state());
      return countdown(issued.state()).put("id", id).put("phone", auth.get().getString("phoneMasked"));
    });
  }

  /** {@code {"authenticatorId", "code"}}: confirms a new (or re-paired) authenticator with its first code. */
  private Future<JsonObject> confirm(Account a, JsonObject b) {
    String id = b.getString("authenticatorId");
    JsonObject auth = find(a, id).orElse(null);
    String code = b.getValue("code") instanceof String c ? c : "";
    String lang = Localized.language(b);
    if (auth == null) {
      return Future.failedFuture(Localized.failure(Failure.NOT_FOUND, lang, "tfa.notFound", String.valueOf(id)));
    }
    boolean repair = auth.containsKey("pendingSecret");
    if (auth.getBoolean("confirmed", false) && !repair) {
      return Future.failedFuture(Localized.failure(Failure.CONFLICT, lang, "tfa.confirmed", auth.getString("name")));
    }
    OptionalLong step = OptionalLong.empty();
    if (auth.getString("type").equals("totp")) {
      byte[] secret = box.open(repair ? auth.getString("pendingSecret") : auth.getString("secret"),
          purpose(a, id, "totp"));
      step = totp.verify(secret, code, -1);
      if (step.isEmpty()) {
        return Future.failedFuture(Localized.invalid(lang, "code", "tfa.code.totp"));
      }
    } else {
      SmsPasscodes.State st = enrolling.get(id);
      SmsPasscodes.Check check = st == null ? null : passcodes.check(st, code);
      if (check == null || check.outcome() != SmsPasscodes.Outcome.ACCEPTED) {
        if (check != null) {
          enrolling.put(id, check.state());
        }
        return Future.failedFuture(check == null ? Localized.invalid(lang, "code", "tfa.code.none")
            : Localized.invalid(lang, "code", "tfa.code.sms", Messages.get(lang, "passcode."
                + check.outcome().name().toLowerCase(Locale.ROOT))));
      }
      enrolling.remove(id);
    }
    boolean first = a.confirmedAuthenticators().isEmpty();
    long used = step.orElse(-1);
    Future<Account> saved = change(a, b, s -> {
      JsonObject x = findIn(s, id);
      if (repair) {
        x.put("secret", x.remove("pendingSecret"));
      }
      x.put("confirmed", true).put("lastStep", used);
      return first ? s.put("twoFactor", true) : s;
    });
    return saved.compose(acc -> first ? newRecoveryCodes(acc).map(r -> r.mergeIn(state(acc).put("confirmed", id)))
        : Future.succeededFuture(state(acc).put("confirmed", id)));
  }

  /** {@code {"authenticatorId", "password"}}: a new secret for a TOTP app (the old one works until it is confirmed). */
  private Future<JsonObject> rePair(Account a, JsonObject b) {
    String id = b.getString("authenticatorId");
    Optional<JsonObject> auth = find(a, id).filter(x -> x.getString("type").equals("totp"));
    if (auth.isEmpty()) {
      return Future.failedFuture(Localized.failure(Failure.NOT_FOUND, Localized.language(b), "tfa.app.notFound",
          String.valueOf(id)));
    }
    byte[] secret = totp.newSecret(Tokens.random());
    return reauthenticated(a, b)
        .compose(x -> change(a, b, s -> {
          findIn(s, id).put("pendingSecret", box.seal(secret, purpose(a, id, "totp")));
          return s;
        }))
        .map(saved -> shown(a, id, secret));
  }

  /** {@code {"authenticatorId", "password"}}: removes an authenticator; 2FA goes off with the last one. */
  private Future<JsonObject> remove(Account a, JsonObject b) {
    String id = b.getString("authenticatorId");
    if (find(a, id).isEmpty()) {
      return Future.failedFuture(Localized.failure(Failure.NOT_FOUND, Localized.language(b), "tfa.notFound",
          String.valueOf(id)));
    }
    return reauthenticated(a, b).compose(x -> change(a, b, s -> {
      JsonArray kept = new JsonArray();
      authenticators(s).forEach(o -> {
        if (!id.equals(((JsonObject) o).getString("id"))) {
          kept.add(o);
        }
      });
      boolean any = kept.stream().anyMatch(o -> ((JsonObject) o).getBoolean("confirmed", false));
      return s.put("authenticators", kept).put("twoFactor", any && s.getBoolean("twoFactor", false));
    })).map(this::state);
  }

  /** Ten new recovery codes, shown once; the old ones stop working. */
  private Future<JsonObject> newRecoveryCodes(Account a) {
    List<String> codes = RecoveryCodes.generate(Tokens.random());
    JsonArray stored = new JsonArray();
    codes.forEach(c -> stored.add(new JsonObject().put("hash", RecoveryCodes.hash(c)).put("usedAt", null)));
    return store.getUser(a.id()).map(Account::of)
        .compose(fresh -> accounts.save(fresh.with(fresh.profile(), fresh.security().copy()
            .put("recoveryCodes", stored), clock.millis())))
        .map(saved -> new JsonObject().put("recoveryCodes", new JsonArray(codes)));
  }

  // ---------------------------------------------------------------------------------------- login

  @Override
  public List<String> methods(Account a) {
    List<String> out = new ArrayList<>();
    List<JsonObject> auths = a.confirmedAuthenticators();
    if (auths.stream().anyMatch(x -> x.getString("type").equals("totp"))) {
      out.add("totp");
    }
    if (sms != null && auths.stream().anyMatch(x -> x.getString("type").equals("sms"))) {
      out.add("sms");
    }
    out.add("recovery");
    return out;
  }

  @Override
  public JsonArray smsTargets(Account a) {
    JsonArray out = new JsonArray();
    if (sms != null) {
      a.confirmedAuthenticators().stream().filter(x -> x.getString("type").equals("sms")).forEach(x ->
          out.add(new JsonObject().put("id", x.getString("id")).put("phone", x.getString("phoneMasked"))));
    }
    return out;
  }

  @Override
  public Future<Optional<String>> verify(Account a, String method, String code, Challenges.Challenge c) {
    return switch (method) {
      case "totp" -> verifyTotp(a, code, true);
      case "sms" -> Future.succeededFuture(verifySms(c, code));
      case "recovery" -> verifyRecovery(a, code);
      default -> Future.succeededFuture(Optional.empty());
    };
  }

  /** Tries every confirmed app; on a match writes its step (once: a conflict re-reads and tries again). */
  private Future<Optional<String>> verifyTotp(Account a, String code, boolean retry) {
    for (JsonObject auth : a.confirmedAuthenticators()) {
      if (!auth.getString("type").equals("totp")) {
        continue;
      }
      String id = auth.getString("id");
      byte[] secret = box.open(auth.getString("secret"), purpose(a, id, "totp"));
      long last = auth.getLong("lastStep", -1L);
      OptionalLong step = totp.verify(secret, code, last);
      if (step.isEmpty()) {
        if (totp.verify(secret, code, -1).isPresent()) {
          LOG.warn("a TOTP code of account {} (authenticator \"{}\") was used again and refused", a.login(),
              auth.getString("name"));
        }
        continue;
      }
      JsonObject security = a.security().copy();
      findIn(security, id).put("lastStep", step.getAsLong()).put("lastUsed", clock.millis());
      return store.updateUser(a.with(a.profile(), security, clock.millis()).row())
          .map(v -> Optional.of(auth.getString("name")))
          .recover(err -> retry && AgentException.from(err).failure() == Failure.CONFLICT
              ? store.getUser(a.id()).map(Account::of).compose(fresh -> verifyTotp(fresh, code, false))
              : Future.failedFuture(err));
    }
    return Future.succeededFuture(Optional.empty());
  }

  private Optional<String> verifySms(Challenges.Challenge c, String code) {
    if (c.sms == null) {
      return Optional.empty();
    }
    SmsPasscodes.Check check = passcodes.check(c.sms, code);
    c.sms = check.state();
    return check.outcome() == SmsPasscodes.Outcome.ACCEPTED ? Optional.of(c.smsName) : Optional.empty();
  }

  private Future<Optional<String>> verifyRecovery(Account a, String code) {
    JsonObject security = a.security().copy();
    for (Object o : security.getJsonArray("recoveryCodes", new JsonArray())) {
      JsonObject rc = (JsonObject) o;
      if (rc.getLong("usedAt") == null && RecoveryCodes.matches(code, rc.getString("hash"))) {
        rc.put("usedAt", clock.millis());
        return store.updateUser(a.with(a.profile(), security, clock.millis()).row())
            .map(v -> Optional.of("recovery code"));
      }
    }
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public Future<JsonObject> sendSms(Account a, String id, Challenges.Challenge c, String lang) {
    if (sms == null) {
      return Future.failedFuture(Localized.failure(Failure.CONFLICT, lang, "tfa.sms.off"));
    }
    Optional<JsonObject> auth = a.confirmedAuthenticators().stream()
        .filter(x -> x.getString("type").equals("sms") && x.getString("id").equals(id)).findFirst();
    if (auth.isEmpty()) {
      return Future.failedFuture(Localized.failure(Failure.NOT_FOUND, lang, "tfa.sms.notFound", String.valueOf(id)));
    }
    String phone = phoneOf(a, auth.get());
    SmsPasscodes.Issued issued = c.sms == null || !id.equals(c.smsId) ? passcodes.issue(c.id)
        : passcodes.resend(c.sms, lang);
    return sms.send(phone, text(a, issued.passcode()), lang).map(v -> {
      c.sms = issued.state();
      c.smsId = id;
      c.smsName = auth.get().getString("name");
      return countdown(issued.state()).put("phone", auth.get().getString("phoneMasked"));
    });
  }

  // -------------------------------------------------------------------------------------- helpers

  /** The number of an SMS authenticator, unsealed. */
  private String phoneOf(Account a, JsonObject auth) {
    return new String(box.open(auth.getString("phone"), purpose(a, auth.getString("id"), "sms")),
        StandardCharsets.UTF_8);
  }

  /** The SMS, in the account's language (it reaches the account's phone). */
  private static String text(Account a, String passcode) {
    return Messages.get(a.language(), "sms.text", passcode);
  }

  /** Checks {@code "password"} of the body (ASVS 7.5.1: again before any change to the second factors). */
  private Future<Void> reauthenticated(Account a, JsonObject b) {
    String lang = Localized.language(b);
    if (!(b.getValue("password") instanceof String pw)) {
      return Future.failedFuture(Localized.invalid(lang, "password", "tfa.password.required"));
    }
    return passwords.verify(pw, a.row().passwordHash())
        .compose(ok -> ok ? Future.succeededFuture()
            : Future.failedFuture(Localized.invalid(lang, "password", "tfa.password.wrong")));
  }

  /** Writes a change of the security document and ends the account's other sessions. */
  private Future<Account> change(Account a, JsonObject b, UnaryOperator<JsonObject> edit) {
    JsonObject security = edit.apply(a.security().copy());
    String keep = b.getJsonObject("session", new JsonObject()).getString("tokenHash");
    return accounts.save(a.with(a.profile(), security, clock.millis()))
        .compose(saved -> sessions.endAll(a.id(), keep).map(saved));
  }

  private static String name(JsonObject b) {
    String name = b.getValue("name") instanceof String n ? n.strip() : "";
    if (name.isEmpty() || name.length() > 64) {
      throw Localized.invalid(Localized.language(b), "name", "tfa.name");
    }
    return name;
  }

  private static String purpose(Account a, String id, String type) {
    return type + ":" + a.id() + ":" + id;
  }

  private static JsonArray authenticators(JsonObject security) {
    JsonArray a = security.getJsonArray("authenticators");
    if (a == null) {
      a = new JsonArray();
      security.put("authenticators", a);
    }
    return a;
  }

  private static Optional<JsonObject> find(Account a, String id) {
    return Optional.ofNullable(id == null ? null : findIn(a.security(), id));
  }

  private static JsonObject findIn(JsonObject security, String id) {
    for (Object o : security.getJsonArray("authenticators", new JsonArray())) {
      if (((JsonObject) o).getString("id").equals(id)) {
        return (JsonObject) o;
      }
    }
    return null;
  }
}
