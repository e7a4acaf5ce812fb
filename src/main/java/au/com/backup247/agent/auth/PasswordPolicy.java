package au.com.backup247.agent.auth;

import au.com.backup247.agent.i18n.Messages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The password rules (NIST SP 800-63B, ASVS 6.2): at least {@value #MIN_LENGTH} characters, at
 * most {@value #MAX_LENGTH} (longer ones are refused, never truncated), not one of the common
 * passwords, not the login name (ignoring case). No composition rules: a long passphrase of
 * lower-case words is fine. Lengths count Unicode code points.
 *
 * <p>The common passwords are the 30,000-entry list that zxcvbn4j ships ({@value #LIST}: one
 * lower-case password a line, most common first), loaded once on first use and compared ignoring
 * case. The refusal comes from the {@code password.*} messages of the i18n bundles, in the language
 * asked. Pure: no I/O but that first read of the class path (and of the bundles).
 */
final class PasswordPolicy {
  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 1024;
  static final String LIST = "com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";

  private PasswordPolicy() {
  }

  /**
   * The rules in {@code lang}, with which every refusal starts so a person learns them all at once:
   * {@code passwords need at least 10 characters (at most 1024), must not be on the list of common
   * passwords and must not be the login name}.
   */
  public static String rules(String lang) {
    return Messages.get(lang, "password.rules", MIN_LENGTH, MAX_LENGTH);
  }

  /**
   * What is wrong with {@code password} for the account {@code login} (null when not known yet), as
   * one message in {@code lang} stating the rules then what breaks them, e.g. {@code passwords need
   * at least 10 characters (…); this one is on the list of common passwords}; empty when it is
   * acceptable.
   */
  public static Optional<String> problem(String lang, String login, String password) {
    List<String> wrong = new ArrayList<>();
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      wrong.add(Messages.get(lang, "password.short", length));
    } else if (length > MAX_LENGTH) {
      wrong.add(Messages.get(lang, "password.long", length));
    }
    if (login != null && password.equalsIgnoreCase(login)) {
      wrong.add(Messages.get(lang, "password.login"));
    }
    if (Common.PASSWORDS.contains(password.toLowerCase(Locale.ROOT))) {
      wrong.add(Messages.get(lang, "password.common"));
    }
    if (wrong.isEmpty()) {
      return Optional.empty();
    }
    int n = wrong.size();
    String all = n == 1 ? wrong.get(0)
        : Messages.get(lang, "password.and", String.join(", ", wrong.subList(0, n - 1)), wrong.get(n - 1));
    return Optional.of(Messages.get(lang, "password.refused", rules(lang), all));
  }

  /** The list, read when first needed (class initialisation is thread-safe and happens once). */
  private static final class Common {
    static final Set<String> PASSWORDS = load();

    private static Set<String> load() {
      InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST);
      if (in == null) {
        throw new IllegalStateException("the common-password list " + LIST + " (zxcvbn4j) is not on the class path");
      }
      Set<String> set = new HashSet<>(40_000);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.isBlank()) {
            set.add(line.strip().toLowerCase(Locale.ROOT));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the common-password list " + LIST, e);
      }
      return Set.copyOf(set);
    }
  }
}
