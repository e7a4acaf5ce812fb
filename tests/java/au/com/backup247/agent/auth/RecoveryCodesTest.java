package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Recovery codes: their shape, strength, forgiving input and SHA-256 storage. */
class RecoveryCodesTest {
  private static final String CODE = "7KQF-2MXD-9TRH-W4PC-H3NA-6YBE";
  private final SecureRandom random = new SecureRandom();

  @Test
  void generate_makesTenDistinctCodesInGroupsOfFour() {
    List<String> codes = RecoveryCodes.generate(random);
    assertEquals(RecoveryCodes.COUNT, codes.size());
    assertEquals(10, new HashSet<>(codes).size());
    for (String c : codes) {
      assertTrue(c.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}"), c);
    }
  }

  @Test
  void codes_carryAtLeast112BitsFromEverySymbolOfTheAlphabet() {
    assertEquals(32, RecoveryCodes.ALPHABET.chars().distinct().count());
    assertTrue(RecoveryCodes.SYMBOLS * 5 >= 112, "ASVS 6.5.2: a plain hash needs 112 bits");
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      for (String c : RecoveryCodes.generate(random)) {
        c.replace("-", "").chars().forEach(ch -> seen.add((char) ch));
      }
    }
    assertEquals(32, seen.size(), "every symbol is used: " + seen);
  }

  @Test
  void normalise_forgivesCaseSpacesDashesAndLookalikes() {
    assertEquals("7KQF2MXD9TRHW4PCH3NA6YBE", RecoveryCodes.normalise(CODE));
    assertEquals("7KQF2MXD9TRHW4PCH3NA6YBE", RecoveryCodes.normalise(" 7kqf 2mxd-9trh\tw4pc--h3na 6ybe "));
    assertEquals("0011", RecoveryCodes.normalise("OoIl"));
  }

  @Test
  void hash_isSha256OfTheNormalForm() {
    assertEquals("sha256:WBoA5EeHSp-tYyNioDoiV4BADZ40Um50R8DBt8OqIaA", RecoveryCodes.hash(CODE));
    assertEquals(RecoveryCodes.hash(CODE), RecoveryCodes.hash("7kqf2mxd9trhw4pch3na6ybe"), "so it can be looked up");
  }

  @Test
  void matches_theCodeAsTyped_andNothingElse() {
    String stored = RecoveryCodes.hash(CODE);
    assertTrue(RecoveryCodes.matches(CODE, stored));
    assertTrue(RecoveryCodes.matches("7kqf 2mxd 9trh w4pc h3na 6ybe", stored));
    assertFalse(RecoveryCodes.matches("7KQF-2MXD-9TRH-W4PC-H3NA-6YBF", stored));
    assertFalse(RecoveryCodes.matches("7KQF-2MXD-9TRH-W4PC-H3NA", stored));
    assertFalse(RecoveryCodes.matches("", stored));
  }

  @Test
  void matches_refusesAStoredValueThatIsNotAHash() {
    for (String bad : new String[] {"", CODE, "sha256:", "sha256:abc", "md5:WBoA5EeHSp-tYyNioDoiV4BADZ40Um50R8DBt8OqIaA",
        "sha256:WBoA5EeHSp+tYyNioDoiV4BADZ40Um50R8DBt8OqIaA"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecoveryCodes.matches(CODE, bad));
      assertTrue(e.getMessage().startsWith("stored recovery code"), e.getMessage());
    }
  }
}
