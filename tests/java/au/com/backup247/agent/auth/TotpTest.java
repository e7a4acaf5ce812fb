package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.Totp.Algorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 TOTP over RFC 4226 HOTP, against the RFCs' vectors, with a fixed clock. */
class TotpTest {
  /** RFC 6238's seeds: "1234567890" repeated to the algorithm's length (20, 32, 64 bytes). */
  static byte[] seed(Algorithm a) {
    int n = switch (a) {
      case SHA1 -> 20;
      case SHA256 -> 32;
      case SHA512 -> 64;
    };
    return "1234567890".repeat(7).substring(0, n).getBytes(StandardCharsets.US_ASCII);
  }

  private static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  /** RFC 6238 appendix B, every row, 8 digits (TEST-MATRIX §3.2). */
  @ParameterizedTest
  @CsvSource({
      "59, 0000000000000001, 94287082, 46119246, 90693936",
      "1111111109, 00000000023523EC, 07081804, 68084774, 25091201",
      "1111111111, 00000000023523ED, 14050471, 67062674, 99943326",
      "1234567890, 000000000273EF07, 89005924, 91819424, 93441116",
      "2000000000, 0000000003F940AA, 69279037, 90698825, 38618901",
      "20000000000, 0000000027BC86AA, 65353130, 77737706, 47863826"})
  void rfc6238AppendixB(long time, String stepHex, String sha1, String sha256, String sha512) {
    String[] expected = {sha1, sha256, sha512};
    for (Algorithm a : Algorithm.values()) {
      Totp totp = new Totp(at(time), a, 8);
      long step = totp.step(Instant.ofEpochSecond(time));
      assertEquals(Long.parseLong(stepHex, 16), step);
      assertEquals(expected[a.ordinal()], totp.code(seed(a), step), a + " at " + time);
      assertEquals(OptionalLong.of(step), totp.verify(seed(a), expected[a.ordinal()], -1), a + " at " + time);
    }
  }

  @Test
  void sixDigitCodes_areTheLastSixDigits() {
    Totp totp = new Totp(at(59));
    assertEquals("287082", totp.code(seed(Algorithm.SHA1), 1));
    assertEquals("081804", new Totp(at(0)).code(seed(Algorithm.SHA1), 0x23523EC), "leading zero kept");
  }

  /** RFC 4226 appendix D: HOTP values for counters 0..9 (SHA-1, 6 digits). */
  @Test
  void rfc4226AppendixD() {
    String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489"};
    Totp hotp = new Totp(at(0));
    for (int counter = 0; counter < expected.length; counter++) {
      assertEquals(expected[counter], hotp.code(seed(Algorithm.SHA1), counter), "counter " + counter);
    }
  }

  @Test
  void steps_areLongsAndFloorBefore1970() {
    Totp totp = new Totp(at(0));
    assertEquals(666_666_666L, totp.step(Instant.ofEpochSecond(20_000_000_000L)));
    assertEquals(1_051_896_328_813_439L, totp.step(Instant.MAX));
    assertEquals(-1, totp.step(Instant.ofEpochSecond(-1)));
    assertEquals(0, totp.step(Instant.ofEpochSecond(29)));
    assertEquals(1, totp.step(Instant.ofEpochSecond(30)));
    assertEquals(1, new Totp(at(59)).currentStep());
  }

  @Test
  void verify_acceptsOneStepEitherSide_andRefusesTwo() {
    byte[] secret = seed(Algorithm.SHA1);
    Totp totp = new Totp(at(1_234_567_890));
    long now = totp.currentStep();
    for (long d = -1; d <= 1; d++) {
      assertEquals(OptionalLong.of(now + d), totp.verify(secret, totp.code(secret, now + d), -1), "step " + d);
    }
    assertEquals(OptionalLong.empty(), totp.verify(secret, totp.code(secret, now - 2), -1));
    assertEquals(OptionalLong.empty(), totp.verify(secret, totp.code(secret, now + 2), -1));
  }

  @Test
  void verify_acceptsEachCodeOnce() {
    byte[] secret = seed(Algorithm.SHA1);
    Totp totp = new Totp(at(1_234_567_890));
    long now = totp.currentStep();
    String code = totp.code(secret, now);
    long used = totp.verify(secret, code, -1).getAsLong();
    assertEquals(OptionalLong.empty(), totp.verify(secret, code, used), "the same code again");
    assertEquals(OptionalLong.empty(), totp.verify(secret, totp.code(secret, now - 1), used), "an older code");
    assertEquals(OptionalLong.of(now + 1), totp.verify(secret, totp.code(secret, now + 1), used), "the next one");
    Totp later = new Totp(at(1_234_567_890 + 30));
    assertEquals(OptionalLong.empty(), later.verify(secret, code, used), "replayed in the next step");
  }

  @Test
  void verify_refusesMalformedCodes_andIgnoresSpaces() {
    byte[] secret = seed(Algorithm.SHA1);
    Totp totp = new Totp(at(59));
    assertEquals(OptionalLong.of(1), totp.verify(secret, "287 082", -1));
    for (String bad : new String[] {"28708", "2870822", "28708a", "", "２８７０８２", "-87082"}) {
      assertEquals(OptionalLong.empty(), totp.verify(secret, bad, -1), bad);
    }
    assertEquals(OptionalLong.empty(), totp.verify(secret, null, -1));
    assertEquals(OptionalLong.empty(), new Totp(at(59), Algorithm.SHA1, 8).verify(secret, "287082", -1));
  }

  @Test
  void digits_areSixOrEight() {
    assertThrows(IllegalArgumentException.class, () -> new Totp(at(0), Algorithm.SHA1, 7));
  }

  @Test
  void newSecret_hasTheAlgorithmsLength() {
    SecureRandom r = new SecureRandom();
    assertEquals(20, new Totp(at(0)).newSecret(r).length);
    assertEquals(32, new Totp(at(0), Algorithm.SHA256, 6).newSecret(r).length);
    assertEquals(64, new Totp(at(0), Algorithm.SHA512, 6).newSecret(r).length);
  }

  @Test
  void base32_ofTheRfcSeed_andBackAsTyped() {
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(seed(Algorithm.SHA1)));
    assertArrayEquals(seed(Algorithm.SHA1), Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
    String padded = Totp.base32(seed(Algorithm.SHA256));
    assertTrue(!padded.contains("="), padded);
    assertArrayEquals(seed(Algorithm.SHA256), Totp.fromBase32(padded));
    assertThrows(IllegalArgumentException.class, () -> Totp.fromBase32("GEZDGNBVGY3TQOJ1"));
    assertThrows(IllegalArgumentException.class, () -> Totp.fromBase32(""));
    assertThrows(IllegalArgumentException.class, () -> Totp.fromBase32("GEZDGNBVG"), "no whole byte in the last bits");
  }

  @Test
  void otpauthUri_isTheKeyUriFormat_percentEncoded() {
    Totp totp = new Totp(at(0));
    String uri = totp.otpauthUri("B247 Agent", "alice@example.com", seed(Algorithm.SHA1));
    assertEquals("otpauth://totp/B247%20Agent:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        + "&issuer=B247%20Agent&algorithm=SHA1&digits=6&period=30", uri);
    URI parsed = URI.create(totp.otpauthUri("Zoë & Co/β", "o'brien+x", seed(Algorithm.SHA1)));
    assertEquals("/Zoë & Co/β:o'brien+x", parsed.getPath());
    assertTrue(parsed.getQuery().contains("issuer=Zoë & Co/β&"), parsed.getQuery());
    assertEquals("otpauth://totp/a:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=a&algorithm=SHA256&digits=8"
        + "&period=30", new Totp(at(0), Algorithm.SHA256, 8).otpauthUri("a", "b", seed(Algorithm.SHA1)));
  }

  @Test
  void otpauthUri_refusesAColonOrAnEmptyLabel() {
    Totp totp = new Totp(at(0));
    byte[] s = seed(Algorithm.SHA1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> totp.otpauthUri("B247:x", "alice", s)).getMessage()
        .startsWith("issuer "));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> totp.otpauthUri("B247", " ", s)).getMessage()
        .startsWith("account "));
  }
}
