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
import java.util.ArrayList;
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
  void fileBatch_andFilesDone_roundTrip() {
    Messages.FileBatch batch = new Messages.FileBatch("run-1", List.of(42L, 43L, 50L));
    assertEquals(batch, roundTrip(Messages.FILE_BATCH, batch));
    FileVersion v = new FileVersion("/src/é/a.txt", FileVersion.FILE, 1234, 0644, 1_700_000_000_123_456_789L,
        1_700_000_001_000_000_000L, 77, "", List.of(id(1), id(2)), 1000, 1000,
        List.of(new ExtendedAttribute("user.tag", new byte[] {1, 2, 3})));
    Messages.FilesDone done = roundTrip(Messages.FILES_DONE, new Messages.FilesDone("run-1",
        List.of(new Messages.Done(7, v), new Messages.Done(8, null))));
    assertEquals("run-1", done.run());
    assertEquals(2, done.files().size());
    Messages.Done first = done.files().get(0);
    assertEquals(7, first.seq());
    assertEquals(v.path(), first.version().path());
    assertEquals(v.chunks(), first.version().chunks());
    assertEquals(v.size(), first.version().size());
    assertEquals(v.mtimeNanos(), first.version().mtimeNanos());
    assertEquals(v.uid(), first.version().uid());
    assertArrayEquals(v.xattrs().get(0).value(), first.version().xattrs().get(0).value());
    assertEquals(8, done.files().get(1).seq());
    assertNull(done.files().get(1).version(), "a skipped file");
  }

  @Test
  void blobs_roundTrip_withTheirBodies() {
    byte[] body = {0, 10, 20, 30, 40};
    Messages.Blobs back = roundTrip(Messages.BLOBS, new Messages.Blobs(List.of(new NewBlob(id(3), body, 4096),
        new NewBlob(ObjectTypes.FILE, id(4), new byte[] {7}, 9))));
    assertEquals(2, back.blobs().size());
    NewBlob chunk = back.blobs().get(0);
    assertEquals(id(3), chunk.id());
    assertEquals(4096, chunk.rawLength());
    assertArrayEquals(body, chunk.body());
    assertEquals(ObjectTypes.DATA, chunk.type());
    NewBlob records = back.blobs().get(1);
    assertEquals(ObjectTypes.FILE, records.type(), "a batch of FILE records stays one");
    assertEquals(id(4), records.id());
    assertArrayEquals(new byte[] {7}, records.body());
  }

  @Test
  void batches_areImmutable_andACountLargerThanTheMessageIsRefused() {
    List<Long> seqs = new ArrayList<>(List.of(1L, 2L));
    Messages.FileBatch batch = new Messages.FileBatch("run-1", seqs);
    seqs.add(3L);
    assertEquals(List.of(1L, 2L), batch.seqs(), "the message keeps its own copy");
    assertThrows(UnsupportedOperationException.class, () -> batch.seqs().add(4L));
    Buffer wire = Buffer.buffer();
    Messages.FILE_BATCH.encodeToWire(wire, batch);
    wire.setInt(4 + 4 + 5, 1_000_000); // the count, after the length and the run id
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Messages.FILE_BATCH.decodeFromWire(0, wire));
    assertTrue(e.getMessage().startsWith("bad count 1000000"), e.getMessage());
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
