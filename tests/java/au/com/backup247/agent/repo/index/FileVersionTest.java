package au.com.backup247.agent.repo.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The FileVersion record of FORMAT.md §5, with and without its extension fields. */
class FileVersionTest {
  private static final ChunkId CHUNK = new ChunkId(new byte[ChunkId.SIZE]);

  private static FileVersion decode(byte[] b) {
    BinaryReader r = new BinaryReader(b, 0, b.length, "test");
    FileVersion v = FileVersion.decode(r);
    r.expectEnd();
    return v;
  }

  @Test
  void withoutAttributes_theLayoutIsTheOldOne_soOldRepositoriesRead() {
    FileVersion v = new FileVersion("/a", FileVersion.FILE, 3, 04755, 7, 8, 9, "", List.of(CHUNK), 0, 0);
    BinaryWriter w = new BinaryWriter(64);
    v.encode(w);
    BinaryWriter old = new BinaryWriter(64);
    old.string("/a").u8(1).varint(3).varint(04755).varint(7).varint(8).varint(9).string("").varint(1).varint(1)
        .varint(1).bytes(CHUNK.bytes());
    assertArrayEquals(old.toByteArray(), w.toByteArray());
    assertEquals(v, decode(old.toByteArray()));
    assertEquals(04755, decode(old.toByteArray()).mode(), "set-id bits were always stored");
  }

  @Test
  void attributes_roundTrip_andUnknownFieldsAreSkipped() {
    List<ExtendedAttribute> attrs = List.of(new ExtendedAttribute("user.a", new byte[] {0, 1, 2}),
        new ExtendedAttribute("com.apple.FinderInfo", new byte[32]));
    FileVersion v = new FileVersion("/d", FileVersion.FOLDER, 0, 01777, 1, 2, 3, "", List.of(), 5, 6, attrs);
    BinaryWriter w = new BinaryWriter(64);
    v.encode(w);
    assertEquals(v, decode(w.toByteArray()));

    BinaryWriter future = new BinaryWriter(64);
    future.string("/f").u8(FileVersion.FILE | FileVersion.HAS_EXTENSIONS).varint(0).varint(0644).varint(0).varint(0)
        .varint(0).string("").varint(0).varint(0).varint(0).varint(2);
    future.varint(99).varint(3).bytes(new byte[] {7, 7, 7}); // a field a later version may add
    BinaryWriter a = new BinaryWriter(16).string("user.x").bytes(new byte[] {42});
    future.varint(FileVersion.FIELD_XATTR).varint(a.size()).bytes(a.toByteArray());
    FileVersion read = decode(future.toByteArray());
    assertEquals(List.of(new ExtendedAttribute("user.x", new byte[] {42})), read.xattrs());
    assertEquals(FileVersion.FILE, read.kind());
  }
}
