package au.com.backup247.agent.auth;

import au.com.backup247.agent.i18n.Messages;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Login names (guide appendix D): letters A–Z and a–z, digits 0–9, {@code @}, {@code -} and
 * {@code _}; 1 to 64 characters; unique ignoring case (the catalog enforces that).
 */
final class LoginNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9@_-]{1,64}");

  private LoginNames() {
  }

  /** Why {@code login} is not a valid login name, in {@code lang}, or empty when it is. */
  public static Optional<String> problem(String lang, String login) {
    if (login == null || login.isEmpty()) {
      return Optional.of(Messages.get(lang, "loginName.required"));
    }
    if (login.length() > 64) {
      return Optional.of(Messages.get(lang, "loginName.long", login.length()));
    }
    if (!NAME.matcher(login).matches()) {
      return Optional.of(Messages.get(lang, "loginName.characters"));
    }
    if (login.equalsIgnoreCase("local") || login.equalsIgnoreCase("system")) {
      return Optional.of(Messages.get(lang, "loginName.reserved", login));
    }
    return Optional.empty();
  }
}
