package au.com.backup247.agent.repo.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FORMAT.md §1 (codec registry, compression table) and the body of §3. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompressorTest {
  private static final byte[] TEXT = text(300_000, 1);
  private static final byte[] RANDOM = random(300_000, 2);

  @ParameterizedTest
  @EnumSource(CompressionSetting.class)
  void body_decode_roundTrips_compressibleText(CompressionSetting setting) {
    Compressor c = Compressor.of(setting);
    byte[] body = c.body(TEXT, 0, TEXT.length);
    Codec expected = switch (setting) {
      case NONE -> Codec.NONE;
      case NORMAL -> Codec.ZSTD;
      case FAST, FAST_LOCAL -> Codec.LZ4;
    };
    assertEquals(expected.id(), body[0]);
    if (setting != CompressionSetting.NONE) {
      assertTrue(body.length < TEXT.length / 2, setting + ": " + body.length);
    }
    assertArrayEquals(TEXT, Compressor.decode(body, 0, body.length, TEXT.length));
  }

  @ParameterizedTest
  @EnumSource(CompressionSetting.class)
  void body_fallsBackToStored_forRandomBytes(CompressionSetting setting) {
    byte[] body = Compressor.of(setting).body(RANDOM, 0, RANDOM.length);
    assertEquals(RANDOM.length + 1, body.length);
    assertEquals(0, body[0]);
    assertArrayEquals(RANDOM, Arrays.copyOfRange(body, 1, body.length));
    assertArrayEquals(RANDOM, Compressor.decode(body, 0, body.length, RANDOM.length));
  }

  @ParameterizedTest
  @EnumSource(CompressionSetting.class)
  void body_ofEmptyInput_isTheStoredCodecByteAlone(CompressionSetting setting) {
    byte[] body = Compressor.of(setting).body(new byte[5], 3, 0);
    assertArrayEquals(new byte[] {0}, body);
    assertEquals(0, Compressor.decode(body, 0, 1, 0).length);
  }

  @ParameterizedTest
  @EnumSource(CompressionSetting.class)
  void body_usesOnlyTheGivenRange_andDecodeReadsFromAnOffset(CompressionSetting setting) {
    byte[] text = text(10_000, 3);
    Compressor c = Compressor.of(setting);
    for (int[] range : new int[][] {{0, 1}, {7, 100}, {100, 4096}, {1, 4097}, {500, 9_500}}) {
      byte[] expected = Arrays.copyOfRange(text, range[0], range[0] + range[1]);
      byte[] body = c.body(text, range[0], range[1]);
      assertTrue(body.length <= range[1] + 1);
      byte[] framed = new byte[body.length + 20];
      System.arraycopy(body, 0, framed, 13, body.length);
      assertArrayEquals(expected, Compressor.decode(framed, 13, body.length, range[1]));
    }
  }

  @Test
  void fastLocal_storesRandomData_withoutCompressing_andCompressesText() {
    Compressor c = Compressor.of(CompressionSetting.FAST_LOCAL);
    assertEquals(Codec.NONE.id(), c.body(RANDOM, 0, RANDOM.length)[0]);
    assertEquals(Codec.LZ4.id(), c.body(TEXT, 0, TEXT.length)[0]);
    // small inputs: the sample is the whole input
    assertEquals(Codec.LZ4.id(), c.body(TEXT, 0, 1000)[0]);
    assertEquals(Codec.NONE.id(), c.body(RANDOM, 0, 1000)[0]);
  }

  @Test
  void fastLocal_decidesOnTheFirst4KiB_only() {
    // random first 4 KiB, then very compressible: stored without trying the rest
    byte[] mixed = new byte[200_000];
    System.arraycopy(RANDOM, 0, mixed, 0, 4096);
    byte[] body = Compressor.of(CompressionSetting.FAST_LOCAL).body(mixed, 0, mixed.length);
    assertEquals(Codec.NONE.id(), body[0]);
    assertEquals(mixed.length + 1, body.length);
    // ... while FAST compresses the same input
    assertEquals(Codec.LZ4.id(), Compressor.of(CompressionSetting.FAST).body(mixed, 0, mixed.length)[0]);
    // the sample must compress below 7/8: a sample that is half random, half zeros passes
    byte[] half = new byte[4096];
    System.arraycopy(RANDOM, 0, half, 0, 2048);
    assertEquals(Codec.LZ4.id(), Compressor.of(CompressionSetting.FAST_LOCAL).body(half, 0, 4096)[0]);
  }

  @Test
  void normal_isZstdFrames_andFastIsLz4Blocks() {
    byte[] z = Compressor.of(CompressionSetting.NORMAL).body(TEXT, 0, TEXT.length);
    // zstd frame magic 0xFD2FB528, little-endian
    assertArrayEquals(new byte[] {2, 0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, Arrays.copyOf(z, 5));
    byte[] l = Compressor.of(CompressionSetting.FAST).body(TEXT, 0, TEXT.length);
    byte[] viaLz4Java = net.jpountz.lz4.LZ4Factory.fastestInstance().safeDecompressor()
        .decompress(l, 1, l.length - 1, TEXT.length);
    assertArrayEquals(TEXT, viaLz4Java);
  }

  @Test
  void decode_rejectsAWrongRawLength_forEveryCodec() {
    for (CompressionSetting s : CompressionSetting.values()) {
      byte[] body = Compressor.of(s).body(TEXT, 0, 10_000);
      for (int raw : new int[] {0, 9_999, 10_001, 20_000, 100_000_000}) {
        CorruptDataException e = assertThrows(CorruptDataException.class,
            () -> Compressor.decode(body, 0, body.length, raw), () -> s + " raw " + raw);
        String codec = Codec.ofId(body[0]).name().toLowerCase();
        assertTrue(e.getMessage().contains(codec), e.getMessage());
      }
      assertThrows(CorruptDataException.class, () -> Compressor.decode(body, 0, body.length, -1));
    }
  }

  @Test
  void decode_rejectsCorruptedLz4Payloads() {
    byte[] body = Compressor.of(CompressionSetting.FAST).body(TEXT, 0, 50_000);
    assertEquals(Codec.LZ4.id(), body[0]);
    // truncated
    for (int cut : new int[] {1, 2, 10, body.length / 2, body.length - 2}) {
      assertCorrupt(Arrays.copyOf(body, body.length - cut), 50_000, "lz4");
    }
    // trailing garbage
    byte[] longer = Arrays.copyOf(body, body.length + 7);
    Arrays.fill(longer, body.length, longer.length, (byte) 0x5a);
    assertCorrupt(longer, 50_000, "lz4");
    // a match offset pointing before the start of the output: first token 0x0F, offset 0xFFFF
    assertCorrupt(new byte[] {1, 0x0f, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0}, 100, "lz4");
    // garbage
    byte[] garbage = random(1000, 5);
    garbage[0] = 1;
    assertCorrupt(garbage, 50_000, "lz4");
  }

  @Test
  void decode_rejectsCorruptedZstdPayloads() {
    byte[] body = Compressor.of(CompressionSetting.NORMAL).body(TEXT, 0, 50_000);
    assertEquals(Codec.ZSTD.id(), body[0]);
    for (int cut : new int[] {1, 3, body.length / 2, body.length - 2}) {
      assertCorrupt(Arrays.copyOf(body, body.length - cut), 50_000, "zstd");
    }
    byte[] badMagic = body.clone();
    badMagic[1] ^= 1;
    assertCorrupt(badMagic, 50_000, "zstd");
    byte[] longer = Arrays.copyOf(body, body.length + 7);
    Arrays.fill(longer, body.length, longer.length, (byte) 0x5a);
    assertCorrupt(longer, 50_000, "zstd");
    byte[] garbage = random(1000, 6);
    garbage[0] = 2;
    assertCorrupt(garbage, 50_000, "zstd");
    assertCorrupt(new byte[] {2}, 0, "zstd");
  }

  @Test
  void decode_ofRandomlyMutatedPayloads_eitherReturnsRawLengthBytesOrThrowsCorruptData() {
    Random r = new Random(7);
    for (CompressionSetting s : new CompressionSetting[] {CompressionSetting.FAST, CompressionSetting.NORMAL}) {
      byte[] body = Compressor.of(s).body(TEXT, 0, 20_000);
      for (int i = 0; i < 3000; i++) {
        byte[] bad = body.clone();
        int flips = 1 + r.nextInt(4);
        for (int f = 0; f < flips; f++) {
          bad[1 + r.nextInt(bad.length - 1)] = (byte) r.nextInt(256);
        }
        int len = r.nextInt(10) == 0 ? 1 + r.nextInt(bad.length) : bad.length;
        try {
          assertEquals(20_000, Compressor.decode(bad, 0, len, 20_000).length);
        } catch (CorruptDataException expected) {
          // fine
        }
      }
    }
  }

  @Test
  void normal_skipsZstdOnlyWhenEverySampleResistsCompression() {
    Compressor c = Compressor.of(CompressionSetting.NORMAL);
    assertEquals(Codec.NONE.id(), c.body(RANDOM, 0, RANDOM.length)[0]);
    // random start and end, text in the middle: still compressed
    byte[] mixed = RANDOM.clone();
    System.arraycopy(TEXT, 0, mixed, 100_000, 100_000);
    byte[] body = c.body(mixed, 0, mixed.length);
    assertEquals(Codec.ZSTD.id(), body[0]);
    assertTrue(body.length < mixed.length - 50_000, "the text part shrinks: " + body.length);
    assertArrayEquals(mixed, Compressor.decode(body, 0, body.length, mixed.length));
    // text start, random elsewhere: the start sample decides for trying
    byte[] head = RANDOM.clone();
    System.arraycopy(TEXT, 0, head, 0, 8192);
    assertEquals(Codec.ZSTD.id(), c.body(head, 0, head.length)[0]);
  }

  @Test
  void decode_rejectsAnUnknownCodecAndAnEmptyBody() {
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Compressor.decode(new byte[] {3, 1, 2}, 0, 3, 2));
    assertEquals("unknown codec id 3", e.getMessage());
    assertThrows(CorruptDataException.class, () -> Compressor.decode(new byte[] {0}, 1, 0, 0));
  }

  @Test
  void codec_idsFollowTheRegistry_andUnknownIdsAreNamed() {
    assertEquals(0, Codec.NONE.id());
    assertEquals(1, Codec.LZ4.id());
    assertEquals(2, Codec.ZSTD.id());
    for (Codec c : Codec.values()) {
      assertSame(c, Codec.ofId(c.id()));
    }
    assertEquals("unknown codec id 200",
        assertThrows(CorruptDataException.class, () -> Codec.ofId(200)).getMessage());
  }

  @Test
  void compressionSetting_parsesTheConfigLabels_andNamesTheAllowedOnes() {
    assertEquals(List.of("none", "normal", "fast", "fast-local"),
        Arrays.stream(CompressionSetting.values()).map(CompressionSetting::label).toList());
    for (CompressionSetting s : CompressionSetting.values()) {
      assertSame(s, CompressionSetting.parse(s.label()));
      assertSame(s, Compressor.of(s).setting());
    }
    assertSame(CompressionSetting.FAST_LOCAL, CompressionSetting.DEFAULT);
    RepoException e = assertThrows(RepoException.class, () -> CompressionSetting.parse("gzip"));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    assertTrue(e.getMessage().contains("none, normal, fast, fast-local"), e.getMessage());
  }

  @Test
  void compressor_isThreadSafe() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        fs.add(pool.submit(() -> {
          Random r = new Random(seed);
          CompressionSetting[] all = CompressionSetting.values();
          for (int i = 0; i < 200; i++) {
            byte[] p = r.nextBoolean() ? text(r.nextInt(100_000), r.nextLong()) : random(r.nextInt(20_000), r.nextLong());
            byte[] body = Compressor.of(all[r.nextInt(all.length)]).body(p, 0, p.length);
            assertArrayEquals(p, Compressor.decode(body, 0, body.length, p.length));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertCorrupt(byte[] body, int rawLength, String codec) {
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Compressor.decode(body, 0, body.length, rawLength));
    assertTrue(e.getMessage().contains(codec), e.getMessage());
  }

  /** Text-like data: words, numbers and line breaks. */
  static byte[] text(int n, long seed) {
    Random r = new Random(seed);
    String[] words = ("backup agent block index chunk repository file folder version job the of"
        + " and restore destination retention schedule encrypted compressed").split(" ");
    StringBuilder sb = new StringBuilder(n + 32);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]);
      if (r.nextInt(12) == 0) {
        sb.append(' ').append(r.nextInt(100_000));
      }
      sb.append(r.nextInt(15) == 0 ? ".\n" : " ");
    }
    return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), n);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
