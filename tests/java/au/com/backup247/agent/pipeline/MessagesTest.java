package au.com.backup247.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.WireCodec;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.ExtendedAttribute;
import au.com.backup247.agent.repo.index.FileVersion;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage messages cross the wire intact: each codec's encodeToWire and decodeFromWire round trip. */
class MessagesTest {
  private static final byte[] BEFORE = {9, 9, 9}; // the codec is handed a position inside a larger buffer

  private static <T> T roundTrip(WireCodec<T> codec, T message) {
    Buffer wire = Buffer.buffer().appendBytes(BEFORE);
    codec.encodeToWire(wire, message);
    wire.appendBytes(BEFORE); // and what follows it is not its own
    T back = codec.decodeFromWire(BEFORE.length, wire);
    assertNotSame(message, back);
    return back;
  }

  private static ChunkId id(int seed) {
    byte[] b = new byte[ChunkId.SIZE];
    Arrays.fill(b, (byte) seed);
    return new ChunkId(b);
  }

  @Test
  void fileTask_andFileDone_roundTrip() {
    assertEquals(new Messages.FileTask("run-1", 42), roundTrip(Messages.FILE_TASK, new Messages.FileTask("run-1", 42)));
    FileVersion v = new FileVersion("/src/é/a.txt", FileVersion.FILE, 1234, 0644, 1_700_000_000_123_456_789L,
        1_700_000_001_000_000_000L, 77, "", List.of(id(1), id(2)), 1000, 1000,
        List.of(new ExtendedAttribute("user.tag", new byte[] {1, 2, 3})));
    Messages.FileDone done = roundTrip(Messages.FILE_DONE, new Messages.FileDone("run-1", 7, v));
    assertEquals("run-1", done.run());
    assertEquals(7, done.seq());
    assertEquals(v.path(), done.version().path());
    assertEquals(v.chunks(), done.version().chunks());
    assertEquals(v.size(), done.version().size());
    assertEquals(v.mtimeNanos(), done.version().mtimeNanos());
    assertEquals(v.uid(), done.version().uid());
    assertArrayEquals(v.xattrs().get(0).value(), done.version().xattrs().get(0).value());
    assertNull(roundTrip(Messages.FILE_DONE, new Messages.FileDone("run-1", 8, null)).version(), "a skipped file");
  }

  @Test
  void blob_roundTrips_withItsBody() {
    byte[] body = {0, 10, 20, 30, 40};
    Messages.Blob back = roundTrip(Messages.BLOB, new Messages.Blob(new NewBlob(id(3), body, 4096)));
    assertEquals(id(3), back.blob().id());
    assertEquals(4096, back.blob().rawLength());
    assertArrayEquals(body, back.blob().body());
    assertEquals(ObjectTypes.DATA, back.blob().type());
    Messages.Blob records = roundTrip(Messages.BLOB, new Messages.Blob(new NewBlob(ObjectTypes.FILE, id(4), body, 9)));
    assertEquals(ObjectTypes.FILE, records.blob().type(), "a batch of FILE records stays one");
  }

  @Test
  void block_carriesOnlyItsValidBytes_andWrittenRoundTrips() {
    byte[] buffer = new byte[64]; // a pooled block buffer: only the first length bytes are the block
    Arrays.fill(buffer, 0, 10, (byte) 5);
    Messages.Block back = roundTrip(Messages.BLOCK, new Messages.Block("blocks/j/b1.bak", buffer, 10));
    assertEquals("blocks/j/b1.bak", back.path());
    assertEquals(10, back.length());
    assertArrayEquals(Arrays.copyOf(buffer, 10), Arrays.copyOf(back.bytes(), back.length()));
    Messages.Written w = new Messages.Written("blocks/j/b1.bak", 2, false, "disk full");
    assertEquals(w, roundTrip(Messages.WRITTEN, w));
    Messages.Written ok = new Messages.Written("blocks/j/b1.bak", 0, true, null);
    assertEquals(ok, roundTrip(Messages.WRITTEN, ok));
  }

  @Test
  void inOneJvm_theMessageIsPassedAsIs() {
    Messages.Block block = new Messages.Block("p", new byte[8], 8);
    assertSame(block, Messages.BLOCK.transform(block), "lent, not copied: the sealer recycles only after Written");
  }

  @Test
  void aTruncatedMessage_isRefusedWithWhatWasMissing() {
    Buffer wire = Buffer.buffer();
    Messages.WRITTEN.encodeToWire(wire, new Messages.Written("blocks/j/b1.bak", 2, false, "disk full"));
    Buffer cut = wire.getBuffer(0, wire.length() - 3);
    cut.setInt(0, cut.length() - 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Messages.WRITTEN.decodeFromWire(0, cut));
    assertTrue(e.getMessage().startsWith("message truncated"), e.getMessage());
  }
}
