package au.com.backup247.agent.i18n;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.text.MessageFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MessagesTest {

  private static Properties bundle(String name) throws Exception {
    Properties p = new Properties();
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream("i18n/" + name)) {
      p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void everyEnglishMessage_hasItsFrenchOne_withTheSameArguments() throws Exception {
    Properties en = bundle("messages.properties");
    Properties fr = bundle("messages_fr.properties");
    assertEquals(en.stringPropertyNames(), fr.stringPropertyNames());
    for (String k : en.stringPropertyNames()) {
      for (int i = 0; i < 10; i++) {
        assertEquals(en.getProperty(k).contains("{" + i), fr.getProperty(k).contains("{" + i), k);
      }
    }
  }

  @Test
  void everyPattern_parses_andQuotesItsApostrophesAndBraces() throws Exception {
    for (String name : List.of("messages.properties", "messages_fr.properties")) {
      Properties p = bundle(name);
      for (String k : p.stringPropertyNames()) {
        String pattern = p.getProperty(k);
        assertDoesNotThrow(() -> new MessageFormat(pattern), name + " " + k);
        String unquoted = pattern.replace("''", "").replace("'{'", "").replace("'}'", "");
        assertFalse(unquoted.contains("'"), name + " " + k + ": a lone ' starts a quotation (write '')");
      }
    }
  }

  @Test
  void french_putsASpaceBeforeSemicolons_andQuotesValuesWithGuillemets() throws Exception {
    Properties fr = bundle("messages_fr.properties");
    for (String k : fr.stringPropertyNames()) {
      String m = fr.getProperty(k);
      assertFalse(m.matches(".*[^ ][;!?].*"), k + ": " + m);
      assertFalse(m.contains("\"{"), k + ": " + m);
    }
  }

  @Test
  void countsAreWrittenWithoutGrouping_andPluralsAgree() {
    assertEquals("has 1025 characters", Messages.get("en", "password.long", 1025));
    assertEquals("compte 1025 caractères", Messages.get("fr", "password.long", 1025));
    assertEquals("has only 1 character", Messages.get("en", "password.short", 1));
    assertEquals("has only 2 characters", Messages.get("en", "password.short", 2));
    assertEquals("ne compte que 1 caractère", Messages.get("fr", "password.short", 1));
    assertEquals("ne compte que 9 caractères", Messages.get("fr", "password.short", 9));
  }

  @Test
  void messages_areFormatted_inTheLanguageAsked_andEnglishOtherwise() {
    assertEquals("too many failed attempts; try again in 3600 s", Messages.get("en", "login.throttled", 3600));
    assertEquals("trop de tentatives échouées ; réessayez dans 12 s", Messages.get("fr", "login.throttled", 12));
    assertEquals("wrong login name or password", Messages.get("de", "login.wrong"));
    assertTrue(Messages.get("fr", "login.first").contains("jeton d'API de l'agent"));
    assertTrue(Messages.get("en", "login.body").startsWith("the body must be {\"login\""));
  }

  @Test
  void acceptLanguage_picksTheFirstLanguageTheAgentSpeaks() {
    assertEquals("fr", Messages.negotiate("fr-CA,fr;q=0.9,en;q=0.8"));
    assertEquals("en", Messages.negotiate("de-DE,de;q=0.9,en;q=0.5"));
    assertEquals("fr", Messages.negotiate("de;q=0.9,fr;q=0.8"));
    assertEquals("en", Messages.negotiate(null));
    assertEquals("en", Messages.negotiate(";;;garbage"));
  }
}
