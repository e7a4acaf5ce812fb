package au.com.backup247.agent.repo.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.RepoException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Argon2id's two engines: the system's libargon2 (used when installed) and Bouncy Castle (the
 * fallback and the oracle). The native tests need Debian's {@code libargon2-1}: skipped without it,
 * except in CI, where they fail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Argon2idTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SALT = "somesalt".getBytes(StandardCharsets.US_ASCII);

  @Test
  void installedLibargon2_isTheEngineUsed() {
    Argon2id.Choice choice = nativeOrSkip();
    assertInstanceOf(NativeArgon2.class, choice.engines().get(0));
    assertEquals(List.of(choice.engines().get(0), Argon2id.BOUNCY_CASTLE), choice.engines());
  }

  @Test
  void nativeEngine_matchesTheReferenceImplementationVectors() {
    Argon2id.Engine n = nativeOrSkip().engines().get(0);
    // phc-winner-argon2 src/test.c, Argon2id v=0x13, 32 bytes
    assertEquals("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe", tag(n, PASSWORD, SALT, 256, 2, 1));
    assertEquals("6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037", tag(n, PASSWORD, SALT, 256, 2, 2));
    assertEquals("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7", tag(n, PASSWORD, SALT, 65536, 2, 1));
  }

  @Test
  void nativeEngine_givesBouncyCastlesKey_forEveryKindOfParameters() {
    Argon2id.Engine n = nativeOrSkip().engines().get(0);
    Random r = new Random(14);
    int[][] params = { // memory KiB, passes, lanes: the repository default, RFC 9106's second option, edges
        {47104, 1, 1}, {65536, 3, 1}, {8, 1, 1}, {64, 10, 1}, {1024, 2, 4}, {4096, 1, 16}, {1031, 3, 3}};
    for (int[] p : params) {
      for (int[] lengths : new int[][] {{0, 8}, {20, 16}, {200, 33}}) { // password, salt
        byte[] pw = new byte[lengths[0]];
        byte[] salt = new byte[lengths[1]];
        r.nextBytes(pw);
        r.nextBytes(salt);
        String what = "m=" + p[0] + " t=" + p[1] + " p=" + p[2] + " password " + pw.length + " salt " + salt.length;
        assertEquals(tag(Argon2id.BOUNCY_CASTLE, pw, salt, p[0], p[1], p[2]), tag(n, pw, salt, p[0], p[1], p[2]), what);
      }
    }
  }

  /** The point of the native engine: a repository's default 46 MiB are not allocated on the Java heap. */
  @Test
  void kdf_withLibargon2_leavesTheJavaHeapAlone_andDerivesBouncyCastlesKey() {
    nativeOrSkip();
    byte[] pw = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    byte[] salt = new byte[16];
    Kdf.argon2id(pw, salt, 256, 1, 1, 32); // first use: loading and the known-answer test
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    byte[] key = Kdf.argon2id(pw, salt, 47104, 1, 1, 32);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1 << 20, "allocated on the heap: " + allocated + " bytes");
    byte[] expected = new byte[32];
    Argon2id.BOUNCY_CASTLE.derive(pw, salt, 47104, 1, 1, expected);
    assertArrayEquals(expected, key);
  }

  @Test
  void missingLibrary_fallsBackToBouncyCastle_andSaysWhy() {
    Argon2id.Choice choice = Argon2id.choose(() -> NativeArgon2.load("libb247-no-such-argon2.so.1"));
    assertEquals(List.of(Argon2id.BOUNCY_CASTLE), choice.engines());
    assertTrue(choice.nativeProblem().startsWith("libb247-no-such-argon2.so.1: "), choice.nativeProblem());
    assertFalse(choice.nativeProblem().contains("\n"), choice.nativeProblem());
    assertEquals("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe",
        HEX.formatHex(Argon2id.derive(choice.engines(), PASSWORD, SALT, 256, 2, 1, 32)));
  }

  @Test
  void anEngineFailing_leavesTheWorkToTheNext() {
    Argon2id.Engine failing = new Argon2id.Engine() {
      @Override
      public String name() {
        return "failing";
      }

      @Override
      public void derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, byte[] out) {
        throw new IllegalStateException("Memory allocation error");
      }
    };
    assertEquals("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe",
        HEX.formatHex(Argon2id.derive(List.of(failing, Argon2id.BOUNCY_CASTLE), PASSWORD, SALT, 256, 2, 1, 32)));
  }

  @Test
  void noEngineWorking_isOneErrorNamingTheParametersAndEachEnginesReason() {
    // no pass at all: both real engines refuse it (Kdf refuses it before them)
    List<Argon2id.Engine> engines = Argon2id.installed().engines();
    RepoException e = assertThrows(RepoException.class,
        () -> Argon2id.derive(engines, PASSWORD, SALT, 256, 0, 1, 32));
    assertTrue(e.getMessage().startsWith("Argon2id key derivation failed (memory 256 KiB, 0 pass(es), 1 lane(s)): "),
        e.getMessage());
    for (Argon2id.Engine engine : engines) {
      assertTrue(e.getMessage().contains(engine.name() + ": "), e.getMessage());
    }
    assertFalse(e.getMessage().contains("null"), e.getMessage());
  }

  private static Argon2id.Choice nativeOrSkip() {
    Argon2id.Choice choice = Argon2id.installed();
    if (choice.nativeProblem() != null) {
      String why = "libargon2 cannot be used (" + choice.nativeProblem() + "); install it: apt-get install libargon2-1";
      assertFalse("true".equals(System.getenv("CI")), why);
      Assumptions.abort(why);
    }
    return choice;
  }

  private static String tag(Argon2id.Engine engine, byte[] pw, byte[] salt, int m, int t, int p) {
    byte[] out = new byte[32];
    engine.derive(pw, salt, m, t, p, out);
    return HEX.formatHex(out);
  }
}
