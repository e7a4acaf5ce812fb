package au.com.backup247.agent.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Second factors (guide ch. 1.4, 6, 7, 8; docs/SECURITY.md §3): enrolment and use of TOTP apps,
 * SMS passcodes and recovery codes.
 */
final class TwoFactorService implements SecondFactors {

  /** The profile's 2FA operations by name (bound as {@code b247.auth.2fa.<name>}). */
  Map<String, BiFunction<Account, JsonObject, Future<JsonObject>>> operations() {
    return new LinkedHashMap<>();
  }

  @Override
  public List<String> methods(Account a) {
    return List.of();
  }

  @Override
  public JsonArray smsTargets(Account a) {
    return new JsonArray();
  }

  @Override
  public Future<Optional<String>> verify(Account a, String method, String code, Challenges.Challenge c) {
    return Future.succeededFuture(Optional.empty());
  }

  @Override
  public Future<JsonObject> sendSms(Account a, String id, Challenges.Challenge c) {
    return Future.failedFuture(new IllegalStateException("no SMS"));
  }
}
