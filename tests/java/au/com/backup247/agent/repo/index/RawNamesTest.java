package au.com.backup247.agent.repo.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names as exact bytes (TEST-MATRIX S1, issue 11 item 9): one to one, and free for valid UTF-8. */
class RawNamesTest {

  @Test
  void everyByteString_roundTrips_andValidUtf8IsUnchanged() {
    Random r = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(12)];
      r.nextBytes(b);
      String s = RawNames.decode(b, 0, b.length);
      assertArrayEquals(b, RawNames.encode(s), () -> java.util.HexFormat.of().formatHex(b));
    }
    String text = "résumé/naïve – 東京 \uD83D\uDE00 \uFFFD";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(text, RawNames.decode(utf8, 0, utf8.length));
    assertArrayEquals(utf8, RawNames.encode(text));
    assertFalse(RawNames.hasEscapes(text));
  }

  @Test
  void twoInvalidNames_stayTwoNames() {
    String ff = RawNames.decode(new byte[] {'a', (byte) 0xFF, 'b'}, 0, 3);
    String fe = RawNames.decode(new byte[] {'a', (byte) 0xFE, 'b'}, 0, 3);
    assertNotEquals(ff, fe);
    assertTrue(RawNames.hasEscapes(ff));
    // an encoded surrogate (CESU-8) is not valid UTF-8 either: each byte is kept
    byte[] cesu = {(byte) 0xED, (byte) 0xB2, (byte) 0x80};
    assertArrayEquals(cesu, RawNames.encode(RawNames.decode(cesu, 0, 3)));
  }

  @Test
  void theIndexStoresTheBytesThemselves() {
    byte[] name = {'/', 'x', (byte) 0xC3, '/', (byte) 0xFF};
    BinaryWriter w = new BinaryWriter(16);
    w.string(RawNames.decode(name, 0, name.length));
    byte[] out = w.toByteArray();
    assertEquals(name.length, out[0]);
    assertArrayEquals(name, java.util.Arrays.copyOfRange(out, 1, out.length));
    assertEquals(RawNames.decode(name, 0, name.length), new BinaryReader(out, 0, out.length, "test").string());
  }

  @Test
  void pathsOnDisk_keepTheirBytes_absoluteAndRelative(@TempDir Path dir) throws Exception {
    Path made = Path.of(URI.create(dir.toUri() + "a%FFb"));
    Files.writeString(made, "one");
    Path other = Path.of(URI.create(dir.toUri() + "a%FEb"));
    Files.writeString(other, "two");
    String key = RawNames.of(made);
    assertNotEquals(key, RawNames.of(other));
    assertEquals("one", Files.readString(RawNames.path(key)));
    assertEquals("two", Files.readString(RawNames.path(RawNames.of(other))));
    Path rel = RawNames.path("sub/" + RawNames.of(made.getFileName()));
    assertFalse(rel.isAbsolute());
    assertEquals(2, rel.getNameCount());
    assertEquals(RawNames.of(made.getFileName()), RawNames.of(rel.getFileName()));
    assertEquals("../" + RawNames.of(made.getFileName()), RawNames.of(RawNames.path("../" + RawNames.of(
        made.getFileName()))));
    Files.createDirectory(dir.resolve("folder"));
    assertEquals(dir.resolve("folder").toString(), RawNames.of(dir.resolve("folder")), "no trailing slash");
  }
}
