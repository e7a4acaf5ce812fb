package au.com.backup247.agent.auth;

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
 * case. Pure: no I/O but that first read of the class path.
 */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 1024;
  /** Every refusal starts with this, so a person learns all the rules at once. */
  public static final String RULES = "passwords need at least " + MIN_LENGTH + " characters (at most " + MAX_LENGTH
      + "), must not be on the list of common passwords and must not be the login name";
  static final String LIST = "com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";

  private PasswordPolicy() {
  }

  /**
   * What is wrong with {@code password} for the account {@code login} (null when not known yet), as
   * one message stating the rules then what breaks them, e.g. {@code passwords need at least 10
   * characters (…); this one is on the list of common passwords}; empty when it is acceptable.
   */
  public static Optional<String> problem(String login, String password) {
    List<String> wrong = new ArrayList<>();
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      wrong.add("has only " + length + (length == 1 ? " character" : " characters"));
    } else if (length > MAX_LENGTH) {
      wrong.add("has " + length + " characters");
    }
    if (login != null && password.equalsIgnoreCase(login)) {
      wrong.add("is the login name");
    }
    if (Common.PASSWORDS.contains(password.toLowerCase(Locale.ROOT))) {
      wrong.add("is on the list of common passwords");
    }
    return wrong.isEmpty() ? Optional.empty() : Optional.of(RULES + "; this one " + String.join(" and ", wrong));
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
