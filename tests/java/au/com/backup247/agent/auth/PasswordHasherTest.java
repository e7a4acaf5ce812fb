package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.PasswordHasher.Params;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Argon2id password hashes in PHC strings. Most tests use light parameters to stay fast. */
class PasswordHasherTest {
  private static final Params LIGHT = new Params(1024, 1, 1);
  private final PasswordHasher light = new PasswordHasher(LIGHT, new SecureRandom());

  private static char[] pw(String s) {
    return s.toCharArray();
  }

  @Test
  void hash_isAPhcStringWithTheDefaultParameters_andVerifies() {
    PasswordHasher h = new PasswordHasher();
    String phc = h.hash(pw("correct horse battery staple"));
    assertTrue(phc.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), phc);
    assertTrue(h.verify(pw("correct horse battery staple"), phc));
    assertFalse(h.needsRehash(phc));
  }

  @Test
  void verify_refusesAWrongPassword() {
    String phc = light.hash(pw("correct horse battery staple"));
    assertFalse(light.verify(pw("correct horse battery stapl"), phc));
    assertFalse(light.verify(pw("Correct horse battery staple"), phc));
    assertFalse(light.verify(pw(""), phc));
  }

  @Test
  void samePassword_getsAFreshSaltEachTime() {
    assertNotEquals(light.hash(pw("same password")), light.hash(pw("same password")));
  }

  @Test
  void verify_failsWhenTheHashSaltOrParametersWereAltered() {
    String phc = light.hash(pw("correct horse battery staple"));
    String[] f = phc.split("\\$");
    String tag = f[5];
    String otherTag = (tag.charAt(0) == 'A' ? 'B' : 'A') + tag.substring(1);
    String salt = f[4];
    String otherSalt = (salt.charAt(0) == 'A' ? 'B' : 'A') + salt.substring(1);
    assertFalse(light.verify(pw("correct horse battery staple"), phc.replace(tag, otherTag)));
    assertFalse(light.verify(pw("correct horse battery staple"), phc.replace(salt, otherSalt)));
    assertFalse(light.verify(pw("correct horse battery staple"), phc.replace("t=1", "t=2")));
    assertFalse(light.verify(pw("correct horse battery staple"), phc.replace("m=1024", "m=1032")));
  }

  @Test
  void parametersTravelWithEachHash() {
    String weak = light.hash(pw("correct horse battery staple"));
    assertTrue(weak.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), weak);
    PasswordHasher strong = new PasswordHasher(new Params(2048, 3, 2), new SecureRandom());
    assertTrue(strong.verify(pw("correct horse battery staple"), weak));
    String s = strong.hash(pw("correct horse battery staple"));
    assertTrue(s.startsWith("$argon2id$v=19$m=2048,t=3,p=2$"), s);
    assertTrue(light.verify(pw("correct horse battery staple"), s));
  }

  @Test
  void needsRehash_whenStoredMemoryOrPassesAreBelowTheCurrentOnes() {
    String salt = "$c29tZXNhbHRzb21lc2FsdA$tb+v2wgJUrTZ85BEWr7967d0vc+6PI2OTF/OLu45Z3w";
    PasswordHasher h = new PasswordHasher();
    assertTrue(h.needsRehash("$argon2id$v=19$m=19455,t=2,p=1" + salt));
    assertTrue(h.needsRehash("$argon2id$v=19$m=19456,t=1,p=1" + salt));
    assertFalse(h.needsRehash("$argon2id$v=19$m=19456,t=2,p=1" + salt));
    assertFalse(h.needsRehash("$argon2id$v=19$m=65536,t=3,p=2" + salt));
    assertTrue(h.needsRehash("$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHQ$tb+v2wgJUrTZ85BEWr7967d0vc+6PI2OTF/OLu45Z3w"),
        "an 8-byte salt is shorter than the 16 of new hashes");
  }

  /**
   * PHC strings stored before hashing moved from Bouncy Castle to the shared Argon2id (whose native
   * engine is used when libargon2 is installed): stored hashes must keep verifying, byte for byte.
   */
  @Test
  void verify_acceptsHashesMadeByTheBouncyCastleHasher() {
    PasswordHasher h = new PasswordHasher();
    assertTrue(h.verify(pw("correct horse battery staple"),
        "$argon2id$v=19$m=19456,t=2,p=1$H//lunhFkoUPaZzvAskGng$P7ExS3coagoosCO4ohYFuFEELDL0FmFY3D260oasKTY"));
    assertTrue(h.verify(pw("pässwörd ✓ 密码"),
        "$argon2id$v=19$m=2048,t=3,p=2$NegjV1nHtZSBfIxfi+0diQ$WjIJJHDucBi+rreCbcNo7BmUixF0i6CFANS/sg6CD/8"));
    assertTrue(h.verify(pw(""), "$argon2id$v=19$m=64,t=1,p=1$Kva1TDZx1hI$3Ln6PhH2jpD2Zy7Qcn8V0Q"));
    assertTrue(h.verify(pw("a longer passphrase, with punctuation!"), "$argon2id$v=19$m=1031,t=2,p=3"
        + "$87/sDxO+m0AMwpsrNN8VFGQC+4jQSgKyn7Uuj5VI2uY"
        + "$pvP7qa9gXQOI34GDaQHEySwhCcay153l+HK3F4hi8BBuCjLl7sxCjyMFdzvosUCXdSj9MIEx8JogN8AbSh0fHQ"));
    assertFalse(h.verify(pw("correct horse battery stapler"),
        "$argon2id$v=19$m=19456,t=2,p=1$H//lunhFkoUPaZzvAskGng$P7ExS3coagoosCO4ohYFuFEELDL0FmFY3D260oasKTY"));
  }

  /**
   * PHC strings made by the reference implementation's {@code argon2} command ({@code echo -n PASSWORD |
   * argon2 SALT -id -t T -k M -p P -l 32 -e}): the encoding, the parameters and UTF-8 agree with it.
   */
  @Test
  void verify_acceptsHashesFromTheReferenceImplementation() {
    PasswordHasher h = new PasswordHasher();
    assertTrue(h.verify(pw("correct horse battery staple"),
        "$argon2id$v=19$m=1024,t=2,p=1$YjI0N3NhbHRiMjQ3c2FsdA$VApZGfwyEPBgIHgrsr7ie0EAxswEDA+5S9OvWmX6uNY"));
    assertTrue(h.verify(pw("password"),
        "$argon2id$v=19$m=19456,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$tb+v2wgJUrTZ85BEWr7967d0vc+6PI2OTF/OLu45Z3w"));
    assertTrue(h.verify(pw("pässwörd"),
        "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$DlBpgZxpRErxeXpZZ9xCY5/up7OmAZPayOJR6HGl7k4"));
  }

  @Test
  void storedHash_withParametersBeyondTheCaps_isRefusedNamingTheField() {
    String rest = "$c29tZXNhbHRzb21lc2FsdA$tb+v2wgJUrTZ85BEWr7967d0vc+6PI2OTF/OLu45Z3w";
    assertRefused("$argon2id$v=19$m=1048577,t=2,p=1" + rest, "parameter m ");
    assertRefused("$argon2id$v=19$m=19456,t=21,p=1" + rest, "parameter t ");
    assertRefused("$argon2id$v=19$m=19456,t=0,p=1" + rest, "parameter t ");
    assertRefused("$argon2id$v=19$m=19456,t=2,p=17" + rest, "parameter p ");
    assertRefused("$argon2id$v=19$m=9999999999,t=2,p=1" + rest, "parameter m ");
    assertRefused("$argon2id$v=16$m=19456,t=2,p=1" + rest, "v must be 19");
    assertRefused("$argon2i$v=19$m=19456,t=2,p=1" + rest, "algorithm");
    assertRefused("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$tb+v2wgJUrTZ85BEWr7967d0vc+6PI2OTF/OLu45Z3w", "salt");
    assertRefused("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$dGFn", "hash");
    assertRefused("$argon2id$v=19$t=2,m=19456,p=1" + rest, "must look like");
    assertRefused("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA==" + rest.substring(23), "must look like");
  }

  private void assertRefused(String phc, String naming) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> light.verify(pw("x"), phc));
    assertTrue(e.getMessage().startsWith("stored password hash: "), e.getMessage());
    assertTrue(e.getMessage().contains(naming), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> light.needsRehash(phc));
  }

  @Test
  void params_outsideTheCaps_areRefusedNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Params(7, 1, 1)).getMessage().contains(" m "));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Params(64, 1, 9)).getMessage().contains(" m "));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Params(1024, 21, 1)).getMessage()
        .contains(" t "));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Params(1024, 1, 0)).getMessage().contains(" p "));
  }

  @Test
  void dummyHash_isMadeOnceWithTheCurrentParameters_andMatchesNoPassword() {
    String d = light.dummyHash();
    assertSame(d, light.dummyHash());
    assertTrue(d.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), d);
    assertFalse(light.verify(pw(""), d));
    assertFalse(light.verify(pw("correct horse battery staple"), d));
  }
}
