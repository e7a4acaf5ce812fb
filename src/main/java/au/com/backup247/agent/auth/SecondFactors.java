package au.com.backup247.agent.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The second factors a login can be completed with (TOTP apps, SMS passcodes, recovery codes; later
 * push approval by a paired phone), as {@link Logins} uses them.
 */
interface SecondFactors {

  /** The methods this account can use now, e.g. {@code ["totp", "recovery"]}. */
  List<String> methods(Account a);

  /** The account's SMS numbers for the challenge: {@code [{"id", "phone": masked}]}. */
  JsonArray smsTargets(Account a);

  /**
   * Checks {@code code} for {@code method}; on success records its use (a TOTP step or a recovery
   * code is accepted once) and returns the name of the authenticator used (the login's "device").
   */
  Future<Optional<String>> verify(Account a, String method, String code, Challenges.Challenge c);

  /**
   * Sends (or sends again) an SMS passcode to authenticator {@code id}: {@code {"expiresIn", "resendIn", ...}};
   * a refusal is in {@code lang}.
   */
  Future<JsonObject> sendSms(Account a, String id, Challenges.Challenge c, String lang);
}
