package au.com.backup247.agent.i18n;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The agent's words in the languages it speaks: resource bundles {@code i18n/messages*.properties}
 * (UTF-8), English complete, French for what people read at login, in the API's refusals and in the
 * account features (accounts, profile, passwords, second factors, what a user may not do).
 * A key missing in a language falls back to English; {@code {0}}-style arguments as
 * {@link MessageFormat}.
 */
public final class Messages {
  /** The languages of the bundles, English first (the default). */
  public static final List<String> LANGUAGES = List.of("en", "fr");
  private static final String BUNDLE = "i18n.messages";

  private Messages() {
  }

  /** The message {@code key} in {@code language} (unknown languages: English) with {@code args}. */
  public static String get(String language, String key, Object... args) {
    ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale(language), ResourceBundle.Control
        .getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    String pattern;
    try {
      pattern = b.getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalArgumentException("no message " + key + " in " + BUNDLE, e);
    }
    return new MessageFormat(pattern, locale(language)).format(args);
  }

  /**
   * The best of the agent's languages for an {@code Accept-Language} header ({@code fr-CA,fr;q=0.9,en;q=0.8}):
   * the first listed that the agent speaks, by weight; English when none.
   */
  public static String negotiate(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return "en";
    }
    try {
      for (Locale.LanguageRange r : Locale.LanguageRange.parse(acceptLanguage)) {
        String lang = r.getRange().split("-", 2)[0].toLowerCase(Locale.ROOT);
        if (LANGUAGES.contains(lang) && r.getWeight() > 0) {
          return lang;
        }
      }
    } catch (IllegalArgumentException e) {
      // a malformed header: the default
    }
    return "en";
  }

  private static Locale locale(String language) {
    return LANGUAGES.contains(language) && !"en".equals(language) ? Locale.forLanguageTag(language) : Locale.ROOT;
  }
}
