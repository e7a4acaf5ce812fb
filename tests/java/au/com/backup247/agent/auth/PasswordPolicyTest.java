package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The password rules and the one message that states them, in English and French. */
class PasswordPolicyTest {

  /** What is wrong with {@code password}, after the rules every refusal starts with (in {@code lang}). */
  private static String problem(String lang, String login, String password) {
    Optional<String> p = PasswordPolicy.problem(lang, login, password);
    assertTrue(p.isPresent(), "expected a refusal of \"" + password + "\"");
    String rules = PasswordPolicy.rules(lang) + (lang.equals("fr") ? " ; celui-ci " : "; this one ");
    assertTrue(p.get().startsWith(rules), p.get());
    return p.get().substring(rules.length());
  }

  private static String problem(String login, String password) {
    return problem("en", login, password);
  }

  @Test
  void rules_areStatedWhole() {
    assertEquals("passwords need at least 10 characters (at most 1024), must not be on the list of common "
        + "passwords and must not be the login name", PasswordPolicy.rules("en"));
    assertEquals("les mots de passe doivent compter au moins 10 caractères (au plus 1024), ne pas figurer dans la "
        + "liste des mots de passe courants et ne pas être le nom de connexion", PasswordPolicy.rules("fr"));
    assertEquals(PasswordPolicy.rules("en"), PasswordPolicy.rules("de"), "a language the agent lacks: English");
  }

  @Test
  void acceptsALongUncommonPassword_withoutCompositionRules() {
    assertEquals(Optional.empty(), PasswordPolicy.problem("en", "alice", "purple monkey dishwasher"));
    assertEquals(Optional.empty(), PasswordPolicy.problem("en", "alice", "abcdefghix"));
    assertEquals(Optional.empty(), PasswordPolicy.problem("fr", null, "tenletters"));
  }

  @Test
  void refusesFewerThanTenCharacters_countingCodePoints() {
    assertEquals("has only 9 characters", problem("alice", "xkcd-9zqw"));
    assertEquals("has only 1 character", problem("alice", "z"));
    assertEquals("has only 0 characters", problem("alice", ""));
    assertEquals(Optional.empty(), PasswordPolicy.problem("en", "alice", "\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12"
        + "\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11"),
        "ten emoji are ten characters");
    assertEquals("has only 5 characters", problem("alice", "\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12"),
        "five emoji are ten UTF-16 units but five characters");
  }

  @Test
  void refusesMoreThan1024Characters_ratherThanTruncating() {
    assertEquals(Optional.empty(), PasswordPolicy.problem("en", "alice", "x".repeat(1024)));
    assertEquals("has 1025 characters", problem("alice", "x".repeat(1025)));
    assertEquals("compte 1025 caractères", problem("fr", "alice", "x".repeat(1025)), "no digit grouping");
  }

  @Test
  void refusesCommonPasswords_ignoringCase() {
    assertEquals("is on the list of common passwords", problem("alice", "qwertyuiop"));
    assertEquals("is on the list of common passwords", problem("alice", "Password123"));
    assertEquals("is on the list of common passwords", problem("alice", "MANCHESTER"));
    assertEquals("has only 6 characters and is on the list of common passwords", problem("alice", "123456"));
  }

  @Test
  void refusesTheLoginName_ignoringCase() {
    assertEquals("is the login name", problem("backup-admin", "Backup-Admin"));
    assertEquals(Optional.empty(), PasswordPolicy.problem("en", "backup-admin", "backup-admin2"));
  }

  @Test
  void everyReason_isGivenInFrench_andSeveralAreListed() {
    assertEquals("ne compte que 9 caractères", problem("fr", "alice", "xkcd-9zqw"));
    assertEquals("ne compte que 1 caractère", problem("fr", "alice", "z"));
    assertEquals("figure dans la liste des mots de passe courants", problem("fr", "alice", "qwertyuiop"));
    assertEquals("est le nom de connexion", problem("fr", "backup-admin", "Backup-Admin"));
    assertEquals("ne compte que 6 caractères et figure dans la liste des mots de passe courants",
        problem("fr", "alice", "123456"));
    assertEquals("ne compte que 5 caractères, est le nom de connexion et figure dans la liste des mots de passe "
        + "courants", problem("fr", "admin", "admin"));
    assertEquals("has only 5 characters, is the login name and is on the list of common passwords",
        problem("admin", "admin"));
  }

  @Test
  void theWholeListIsLoaded_downToItsLastEntries() {
    assertEquals("is on the list of common passwords", problem("alice", "WonderWoman"), "entry 29,977 of 30,000");
    assertEquals("is on the list of common passwords", problem("alice", "p030710p$e4o"), "with punctuation");
  }
}
