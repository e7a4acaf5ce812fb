package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The password rules and the one message that states them. */
class PasswordPolicyTest {

  private static String problem(String login, String password) {
    Optional<String> p = PasswordPolicy.problem(login, password);
    assertTrue(p.isPresent(), "expected a refusal of \"" + password + "\"");
    assertTrue(p.get().startsWith(PasswordPolicy.RULES + "; this one "), p.get());
    return p.get().substring(PasswordPolicy.RULES.length() + "; this one ".length());
  }

  @Test
  void rules_areStatedWhole() {
    assertEquals("passwords need at least 10 characters (at most 1024), must not be on the list of common "
        + "passwords and must not be the login name", PasswordPolicy.RULES);
  }

  @Test
  void acceptsALongUncommonPassword_withoutCompositionRules() {
    assertEquals(Optional.empty(), PasswordPolicy.problem("alice", "purple monkey dishwasher"));
    assertEquals(Optional.empty(), PasswordPolicy.problem("alice", "abcdefghix"));
    assertEquals(Optional.empty(), PasswordPolicy.problem(null, "tenletters"));
  }

  @Test
  void refusesFewerThanTenCharacters_countingCodePoints() {
    assertEquals("has only 9 characters", problem("alice", "xkcd-9zqw"));
    assertEquals("has only 1 character", problem("alice", "z"));
    assertEquals(Optional.empty(), PasswordPolicy.problem("alice", "\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11"
        + "\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11"), "ten emoji are ten characters");
    assertEquals("has only 5 characters", problem("alice", "\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12\uD83D\uDD11\uD83D\uDD12"),
        "five emoji are ten UTF-16 units but five characters");
  }

  @Test
  void refusesMoreThan1024Characters_ratherThanTruncating() {
    assertEquals(Optional.empty(), PasswordPolicy.problem("alice", "x".repeat(1024)));
    assertEquals("has 1025 characters", problem("alice", "x".repeat(1025)));
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
    assertEquals(Optional.empty(), PasswordPolicy.problem("backup-admin", "backup-admin2"));
  }

  @Test
  void theWholeListIsLoaded_downToItsLastEntries() {
    assertEquals("is on the list of common passwords", problem("alice", "WonderWoman"), "entry 29,977 of 30,000");
    assertEquals("is on the list of common passwords", problem("alice", "p030710p$e4o"), "with punctuation");
  }
}
