package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-256-GCM sealing bound to a purpose, under the agent secret kept in a 0600 file. */
class SecretBoxTest {
  private static final byte[] TOTP_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private final SecretBox box = new SecretBox(new AgentSecret(new byte[32]), new SecureRandom());

  @Test
  void seal_thenOpen_withTheSamePurpose() {
    String sealed = box.seal(TOTP_SECRET, "totp:1:1");
    assertTrue(sealed.matches("sb1\\.[A-Za-z0-9_-]+"), sealed);
    assertEquals(4 + (12 + 20 + 16) * 4 / 3, sealed.length());
    assertArrayEquals(TOTP_SECRET, box.open(sealed, "totp:1:1"));
  }

  @Test
  void eachSeal_usesAFreshNonce() {
    assertNotEquals(box.seal(TOTP_SECRET, "totp:1:1"), box.seal(TOTP_SECRET, "totp:1:1"));
  }

  @Test
  void aValueMovedToAnotherRow_doesNotOpen() {
    String sealed = box.seal(TOTP_SECRET, "totp:1:1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.open(sealed, "totp:2:1"));
    assertTrue(e.getMessage().startsWith("sealed value for totp:2:1 does not open"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> box.open(sealed, "totp:1:2"));
    assertThrows(IllegalArgumentException.class, () -> box.open(sealed, "totp:1:1 "));
  }

  @Test
  void anAlteredValue_orAnotherAgentSecret_doesNotOpen() {
    String sealed = box.seal(TOTP_SECRET, "totp:1:1");
    byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(4));
    for (int i : new int[] {0, 12, raw.length - 1}) {
      byte[] bent = raw.clone();
      bent[i] ^= 1;
      String altered = "sb1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bent);
      assertThrows(IllegalArgumentException.class, () -> box.open(altered, "totp:1:1"), "byte " + i);
    }
    byte[] other = new byte[32];
    other[0] = 1;
    SecretBox elsewhere = new SecretBox(new AgentSecret(other), new SecureRandom());
    assertThrows(IllegalArgumentException.class, () -> elsewhere.open(sealed, "totp:1:1"));
  }

  @Test
  void somethingElse_isNotASealedValue() {
    for (String bad : new String[] {"", "sb2.AAAA", "sb1.", "sb1.not base64!", "sb1.AAAAAAAAAAAAAAAAAAAA"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.open(bad, "totp:1:1"));
      assertTrue(e.getMessage().contains("is not one"), e.getMessage());
    }
  }

  @Test
  void load_createsThe0600KeyFile_andReadsItBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys").resolve("agent.secret");
    SecretBox first = SecretBox.load(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    String line = Files.readString(file);
    assertTrue(line.endsWith("\n"));
    assertEquals(32, Base64.getDecoder().decode(line.strip()).length);
    String sealed = first.seal(TOTP_SECRET, "totp:1:1");
    assertArrayEquals(TOTP_SECRET, SecretBox.load(file).open(sealed, "totp:1:1"), "same secret after a restart");
    assertFalse(SecretBox.load(dir.resolve("other.secret")).seal(TOTP_SECRET, "p").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> SecretBox.load(dir.resolve("other.secret")).open(sealed,
        "totp:1:1"), "a new file is a new secret");
  }

  @Test
  void load_refusesAKeyFileOthersMayRead_namingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.secret");
    SecretBox.load(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    AgentException e = assertThrows(AgentException.class, () -> SecretBox.load(file));
    assertEquals("agent secret " + file + " is readable or writable by group or others (mode rw-r--r--); run: chmod 600 "
        + file, e.getMessage());
  }

  @Test
  void load_refusesAKeyFileWithoutA32ByteSecret_namingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.secret");
    Files.writeString(file, "c2hvcnQ=\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ConfigException e = assertThrows(ConfigException.class, () -> SecretBox.load(file));
    assertEquals("agent secret " + file + " must hold 32 bytes in base64 on one line", e.getMessage());
    Files.writeString(file, "");
    assertEquals("agent secret " + file + " is empty",
        assertThrows(AgentException.class, () -> SecretBox.load(file)).getMessage());
  }

  @Test
  void agentSecret_derivesOneKeyPerUse_andNeverShowsItself() {
    AgentSecret s = new AgentSecret(new byte[32]);
    assertEquals("381c1509c1f6a512d6d1be44aa15646f32f3779bf4396b3f3828fb3480fbb738",
        HexFormat.of().formatHex(s.derive("secret-box v1")), "HMAC-SHA256(secret, \"b247 secret-box v1\")");
    assertNotEquals(HexFormat.of().formatHex(s.derive("secret-box v1")),
        HexFormat.of().formatHex(s.derive("device-cookie v1")));
    assertEquals("AgentSecret[hidden]", s.toString());
  }
}
