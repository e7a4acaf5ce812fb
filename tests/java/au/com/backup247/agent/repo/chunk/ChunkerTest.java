package au.com.backup247.agent.repo.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkerTest {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * 1024;

  /** The key of the known-answer vectors: bytes 0x00 .. 0x1f. */
  private static final byte[] KEY = seq(32);

  private static Chunker auto() {
    return Chunker.fastCdc(KEY, Chunker.AUTO_MIN, Chunker.AUTO_AVG, Chunker.AUTO_MAX);
  }

  // ---------------------------------------------------------------- gear table

  @Test
  void gearTable_isDeterministicPerKey_andDiffersBetweenKeys() {
    long[] a = GearTable.derive(KEY);
    assertEquals(256, a.length);
    assertArrayEquals(a, GearTable.derive(KEY.clone()));
    byte[] other = KEY.clone();
    other[31] ^= 1;
    long[] b = GearTable.derive(other);
    int same = 0;
    for (int i = 0; i < 256; i++) {
      if (a[i] == b[i]) {
        same++;
      }
    }
    assertEquals(0, same, "entries equal between two keys");
    assertEquals(256, Arrays.stream(a).distinct().count(), "entries of one table are distinct");
  }

  @Test
  void gearTable_matchesHmacSha256OfGearAndIndex_computedIndependently() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    long[] gear = GearTable.derive(KEY);
    for (int i = 0; i < 256; i++) {
      mac.update("gear".getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) i);
      long expected = ByteBuffer.wrap(mac.doFinal()).getLong(); // big-endian, first 8 bytes
      assertEquals(expected, gear[i], "gear[" + i + "]");
    }
    // pinned values, computed with Python's hmac module (docs/FORMAT.md §2)
    assertEquals(0xdd286280c38b360cL, gear[0]);
    assertEquals(0x911f053e317a5ae8L, gear[1]);
    assertEquals(0x6edde382ef820d9eL, gear[255]);
  }

  // ---------------------------------------------------------------- FastCDC

  /**
   * Cut points pinned by an independent Python implementation of the rules in the FastCdcChunker
   * Javadoc (key 0x00..0x1f, min 16 KiB, avg 64 KiB, max 256 KiB, 2 MiB of SHA-256 counter data).
   * Any change here changes chunk boundaries, i.e. breaks deduplication against existing repositories.
   */
  @Test
  void fastCdc_cutsWhereTheReferenceImplementationCuts() throws Exception {
    byte[] data = new byte[2 * MIB];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (int k = 0; k < data.length / 32; k++) {
      sha.update("data".getBytes(StandardCharsets.US_ASCII));
      sha.update(ByteBuffer.allocate(4).putInt(k).array());
      System.arraycopy(sha.digest(), 0, data, k * 32, 32);
    }
    int[] expected = {111323, 67668, 107266, 80306, 17946, 71813, 71162, 70028, 66821, 85464, 67172,
        69409, 73861, 69672, 98005, 84808, 81219, 92600, 72774, 112833, 71195, 68187, 66699, 88139,
        66622, 68816, 72474, 22870};
    Chunker c = Chunker.fastCdc(KEY, 16 * KIB, 64 * KIB, 256 * KIB);
    assertArrayEquals(expected, cuts(c, data, 0, data.length));
  }

  @ParameterizedTest(name = "min {0} avg {1} max {2}")
  @CsvSource({"262144, 1048576, 4194304", "16384, 65536, 262144"})
  void randomData64MiB_chunksWithinBounds_averageNearAvg_andReassembleToTheInput(
      int min, int avg, int max) throws Exception {
    byte[] data = random(64 * MIB, 42);
    Chunker c = Chunker.fastCdc(KEY, min, avg, max);
    int[] cuts = cuts(c, data, 0, data.length);
    ByteArrayOutputStream joined = new ByteArrayOutputStream(data.length);
    int pos = 0;
    for (int i = 0; i < cuts.length; i++) {
      int n = cuts[i];
      assertTrue(n <= max, "chunk " + i + " is " + n + " > max");
      if (i < cuts.length - 1) {
        assertTrue(n >= min, "chunk " + i + " is " + n + " < min");
      }
      joined.write(data, pos, n);
      pos += n;
    }
    assertEquals(data.length, pos);
    assertArrayEquals(data, joined.toByteArray());
    // With min = avg/4 and level-2 normalization the expected mean is 1.14 x avg (analytically);
    // over 64 MiB the sample mean spreads by about +-0.06 x avg for avg 1 MiB (this seed: 1.23 x).
    double mean = (double) data.length / cuts.length;
    assertTrue(mean >= 0.75 * avg && mean <= 1.25 * avg,
        "mean chunk " + mean + " not within 25% of " + avg + " (" + cuts.length + " chunks)");
    // a cut is a content decision, not always max
    assertTrue(Arrays.stream(cuts).filter(n -> n == max).count() < cuts.length / 10);
  }

  @Test
  void sameBytes_giveSameCuts_wherever_theyLieInTheCallersBuffer() {
    byte[] data = random(16 * MIB, 7);
    byte[] big = new byte[data.length + 2000];
    new Random(99).nextBytes(big);
    System.arraycopy(data, 0, big, 1000, data.length);
    Chunker c = auto();
    int[] atZero = cuts(c, data, 0, data.length);
    assertArrayEquals(atZero, cuts(c, big, 1000, data.length));
    assertArrayEquals(atZero, cuts(auto(), data, 0, data.length), "a second instance, same key");
    assertTrue(atZero.length > 5);
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    assertFalse(Arrays.equals(atZero,
        cuts(Chunker.fastCdc(otherKey, Chunker.AUTO_MIN, Chunker.AUTO_AVG, Chunker.AUTO_MAX),
            data, 0, data.length)), "another key cuts elsewhere");
  }

  @Test
  void inserting100BytesNearTheStart_leavesAtLeast80PercentOfChunksUnchanged() throws Exception {
    byte[] data = random(32 * MIB, 3);
    byte[] shifted = new byte[data.length + 100];
    int at = 5000;
    System.arraycopy(data, 0, shifted, 0, at);
    byte[] insert = random(100, 4);
    System.arraycopy(insert, 0, shifted, at, 100);
    System.arraycopy(data, at, shifted, at + 100, data.length - at);
    Chunker c = auto();
    List<String> before = chunkHashes(data, cuts(c, data, 0, data.length));
    Set<String> after = new HashSet<>(chunkHashes(shifted, cuts(c, shifted, 0, shifted.length)));
    long kept = before.stream().filter(after::contains).count();
    assertTrue(kept >= 0.8 * before.size(), kept + " of " + before.size() + " chunks unchanged");
  }

  @Test
  void streamingThroughARefillingWindow_givesTheOneShotCuts() {
    byte[] input = random(20 * MIB, 11);
    Chunker c = auto();
    int[] oneShot = cuts(c, input, 0, input.length);

    // a caller reading a file: window of 2*max, refilled by reads of varying size
    byte[] window = new byte[2 * c.maxSize()];
    Random reads = new Random(5);
    int inPos = 0; // next byte of the "file"
    int start = 0; // first byte of the current chunk in window
    int avail = 0; // bytes from start
    List<Integer> streamed = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length);
    while (true) {
      while (avail < c.maxSize() && inPos < input.length) {
        if (start + avail == window.length) { // compact
          System.arraycopy(window, start, window, 0, avail);
          start = 0;
        }
        int room = window.length - start - avail;
        int n = Math.min(Math.min(room, input.length - inPos), 1 + reads.nextInt(700 * KIB));
        System.arraycopy(input, inPos, window, start + avail, n);
        inPos += n;
        avail += n;
      }
      if (avail == 0) {
        break;
      }
      int cut = c.nextCut(window, start, avail);
      assertTrue(cut >= 1 && cut <= avail);
      out.write(window, start, cut);
      streamed.add(cut);
      start += cut;
      avail -= cut;
    }
    assertArrayEquals(oneShot, streamed.stream().mapToInt(Integer::intValue).toArray());
    assertArrayEquals(input, out.toByteArray());
  }

  @Test
  void allZeroInput_cutsAtMax() {
    byte[] zeros = new byte[3 * Chunker.AUTO_MAX + 12345];
    for (byte[] key : new byte[][] {KEY, seq(16), new byte[32]}) {
      Chunker c = Chunker.fastCdc(key, Chunker.AUTO_MIN, Chunker.AUTO_AVG, Chunker.AUTO_MAX);
      assertArrayEquals(new int[] {c.maxSize(), c.maxSize(), c.maxSize(), 12345},
          cuts(c, zeros, 0, zeros.length));
    }
  }

  @Test
  void inputsUpToMin_areOneChunk() {
    Chunker c = auto();
    byte[] data = random(Chunker.AUTO_MIN + 10, 1);
    for (int len : new int[] {1, 2, 63, 64, 4096, Chunker.AUTO_MIN - 1, Chunker.AUTO_MIN}) {
      assertEquals(len, c.nextCut(data, 0, len), "len " + len);
      assertEquals(len, c.nextCut(data, 10, len), "len " + len + " at offset 10");
    }
  }

  @Test
  void nextCut_neverExceedsLenNorMax() {
    Chunker c = Chunker.fastCdc(KEY, 16 * KIB, 64 * KIB, 256 * KIB);
    byte[] data = random(MIB, 8);
    Random r = new Random(9);
    for (int k = 0; k < 200; k++) {
      int len = 1 + r.nextInt(data.length);
      int cut = c.nextCut(data, 0, len);
      assertTrue(cut >= 1 && cut <= Math.min(len, c.maxSize()), "len " + len + " cut " + cut);
    }
  }

  @Test
  void factories_reportParametersAndRegistryIds() {
    Chunker a = auto();
    assertEquals(1, a.id());
    assertEquals(256 * KIB, a.minSize());
    assertEquals(MIB, a.avgSize());
    assertEquals(4 * MIB, a.maxSize());
    Chunker f = Chunker.fixed(8 * KIB);
    assertEquals(2, f.id());
    assertEquals(8 * KIB, f.minSize());
    assertEquals(8 * KIB, f.avgSize());
    assertEquals(8 * KIB, f.maxSize());
  }

  // ---------------------------------------------------------------- validation

  @Test
  void invalidArguments_areRejectedNamingTheArgument() {
    int min = Chunker.AUTO_MIN;
    int avg = Chunker.AUTO_AVG;
    int max = Chunker.AUTO_MAX;
    assertEquals("avg must be a power of two between 64 KiB and 64 MiB, got 1000",
        message(() -> Chunker.fastCdc(KEY, 100, 1000, max)));
    assertStartsWith("avg ", message(() -> Chunker.fastCdc(KEY, min, 3 * MIB, 8 * MIB)));
    assertStartsWith("avg ", message(() -> Chunker.fastCdc(KEY, min, 32 * KIB, max)));
    assertStartsWith("avg ", message(() -> Chunker.fastCdc(KEY, min, 128 * MIB, 256 * MIB)));
    assertStartsWith("min ", message(() -> Chunker.fastCdc(KEY, 63, avg, max)));
    assertStartsWith("min ", message(() -> Chunker.fastCdc(KEY, avg, avg, max)));
    assertStartsWith("max ", message(() -> Chunker.fastCdc(KEY, min, avg, avg)));
    assertStartsWith("max ", message(() -> Chunker.fastCdc(KEY, min, avg, 257 * MIB)));
    assertStartsWith("gearKey ", message(() -> Chunker.fastCdc(null, min, avg, max)));
    assertStartsWith("gearKey ", message(() -> Chunker.fastCdc(new byte[0], min, avg, max)));
    assertEquals("size must be between 4 KiB and 256 MiB, got 4095",
        message(() -> Chunker.fixed(4095)));
    assertStartsWith("size ", message(() -> Chunker.fixed(256 * MIB + 1)));
    assertStartsWith("len ", message(() -> auto().nextCut(new byte[10], 0, 0)));
    assertStartsWith("len ", message(() -> Chunker.fixed(4096).nextCut(new byte[10], 0, -1)));
    assertThrows(IndexOutOfBoundsException.class, () -> auto().nextCut(new byte[10], 5, 6));
    // the limits themselves are accepted
    Chunker.fastCdc(KEY, 64, 64 * KIB, 65 * KIB);
    Chunker.fastCdc(KEY, 64 * MIB - 1, 64 * MIB, 256 * MIB);
    Chunker.fixed(4 * KIB);
    Chunker.fixed(256 * MIB);
  }

  // ---------------------------------------------------------------- fixed

  @Test
  void fixedChunker_cutsExactlyEverySizeBytes() {
    Chunker c = Chunker.fixed(4096);
    byte[] data = random(3 * 4096 + 100, 2);
    assertArrayEquals(new int[] {4096, 4096, 4096, 100}, cuts(c, data, 0, data.length));
    assertArrayEquals(new int[] {4096, 4096}, cuts(c, data, 50, 2 * 4096));
    assertEquals(7, c.nextCut(data, 0, 7));
    byte[] big = new byte[10 * MIB];
    int[] cuts = cuts(Chunker.fixed(MIB), big, 0, big.length);
    assertEquals(10, cuts.length);
    assertTrue(Arrays.stream(cuts).allMatch(n -> n == MIB));
  }

  // ---------------------------------------------------------------- helpers

  /** One-shot chunking of {@code buf[off, off+len)}: the caller always has all the rest. */
  private static int[] cuts(Chunker c, byte[] buf, int off, int len) {
    List<Integer> out = new ArrayList<>();
    int pos = off;
    int end = off + len;
    while (pos < end) {
      int n = c.nextCut(buf, pos, end - pos);
      out.add(n);
      pos += n;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static List<String> chunkHashes(byte[] data, int[] cuts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<String> out = new ArrayList<>();
    int pos = 0;
    for (int n : cuts) {
      sha.update(data, pos, n);
      out.add(java.util.HexFormat.of().formatHex(sha.digest()));
      pos += n;
    }
    return out;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] seq(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static String message(Executable call) {
    return assertThrows(IllegalArgumentException.class, call::run).getMessage();
  }

  private static void assertStartsWith(String prefix, String actual) {
    assertTrue(actual != null && actual.startsWith(prefix),
        "expected a message starting with '" + prefix + "', got: " + actual);
  }

  @FunctionalInterface
  private interface Executable {
    void run();
  }
}
