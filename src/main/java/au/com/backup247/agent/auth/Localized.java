package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonObject;

/**
 * Failures whose message comes from the bundles ({@link Messages}) in the language of whoever reads
 * the answer: the caller's profile language, or before a login the client's Accept-Language. Field
 * names, codes and statuses stay as they are; only the text is translated.
 */
final class Localized {
  private Localized() {
  }

  /** The language of the caller of a bus request ({@code "caller"} of its body; none: English). */
  static String language(JsonObject busBody) {
    return Caller.of(busBody).language();
  }

  /** A VALIDATION failure of {@code field} (a JSON path, never translated) with the message {@code key}. */
  static ValidationException invalid(String lang, String field, String key, Object... args) {
    return ValidationException.of(field, Messages.get(lang, key, args));
  }

  /** A failure {@code f} with the message {@code key}. */
  static AgentException failure(Failure f, String lang, String key, Object... args) {
    return new AgentException(f, Messages.get(lang, key, args));
  }
}
