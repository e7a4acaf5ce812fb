package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/**
 * {@code [--display-name NAME] [--time-zone ZONE] [--language en|fr]}: the settings of an account
 * that it changes in its profile ({@code profile set}) and an admin changes for it ({@code user update}).
 */
final class AccountSettings {
  @Option(names = "--display-name", paramLabel = "NAME")
  String displayName;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "e.g. Australia/Sydney; 'agent': the agent's.")
  String timeZone;

  @Option(names = "--language", paramLabel = "en|fr")
  String language;

  /** Puts those given into {@code body} ({@code --time-zone agent}: null, the agent's zone); returns it. */
  JsonObject putInto(JsonObject body) {
    if (displayName != null) {
      body.put("displayName", displayName);
    }
    if (timeZone != null) {
      body.put("timeZone", timeZone.equals("agent") ? null : timeZone);
    }
    if (language != null) {
      body.put("language", language);
    }
    return body;
  }
}
