package au.com.backup247.agent.repo.pack;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.crypto.ObjectSealer;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.ChunkId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one block file (FORMAT.md §4). Not thread-safe: each packing thread owns its writer.
 *
 * <pre>
 * "B247BLK\0" | ver | cipher | rsvd(2) | salt(16) | blob 0 | blob 1 | ... | sealed header | hl u32 | "B247BEND"
 * </pre>
 * A blob's nonce is its offset in the file; the header's nonce is {@link ObjectSealer#HEADER_NONCE}.
 */
public final class BlockWriter {
  static final byte[] MAGIC = "B247BLK\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END = "B247BEND".getBytes(StandardCharsets.US_ASCII);
  public static final int PROLOGUE = 28;
  /**
   * A block is closed at this many blobs even below its target size (FORMAT.md §4): it bounds the
   * header and the memory a block's listing takes when files are tiny (one blob each).
   */
  public static final int MAX_BLOBS = 16384;
  static final int TRAILER = 12;
  static final byte[] HEADER_ID = new byte[ChunkId.SIZE];

  private final CipherSuite suite;
  private final ObjectSealer sealer;
  private final List<BlockEntry> entries = new ArrayList<>();
  private byte[] buf;
  private int size;

  /** A finished block: its content name, the first {@code length} bytes of {@code bytes}, and its blobs. */
  public record Finished(String name, byte[] bytes, int length, List<BlockEntry> entries) {
  }

  public BlockWriter(CipherSuite suite, MasterKey mk, SecureRandom random, int capacity) {
    this(suite, mk, random, new byte[Math.max(capacity, 4096)]);
  }

  /** A writer that fills {@code buffer} (reused from a pool; it grows only when a block needs more). */
  public BlockWriter(CipherSuite suite, MasterKey mk, SecureRandom random, byte[] buffer) {
    this.suite = suite;
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    this.sealer = ObjectSealer.create(suite, mk, salt);
    this.buf = buffer;
    System.arraycopy(MAGIC, 0, buf, 0, 8);
    buf[8] = 1;
    buf[9] = (byte) suite.id();
    System.arraycopy(salt, 0, buf, 12, 16);
    size = PROLOGUE;
  }

  /** Seals {@code body} (codec byte + payload) as a blob and appends it; returns its entry. */
  public BlockEntry add(int type, ChunkId id, byte[] body, int rawLength) {
    long offset = size;
    int room = body.length + suite.maxOverhead();
    if (size + room > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length + buf.length / 2, size + room));
    }
    int n = sealer.sealInto(type, id.bytes(), offset, body, 0, body.length, buf, size);
    size += n;
    BlockEntry e = new BlockEntry(type, id, offset, n, rawLength);
    entries.add(e);
    return e;
  }

  private void append(byte[] b) {
    if (size + b.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length + buf.length / 2, size + b.length));
    }
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Bytes written so far (without the header). */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Blobs added so far. */
  public int count() {
    return entries.size();
  }

  public int maxOverhead() {
    return suite.maxOverhead();
  }

  /** Seals the header, appends the trailer and names the block by the SHA-256 of its bytes. */
  public Finished finish() {
    BinaryWriter h = new BinaryWriter(16 + entries.size() * 48);
    h.u8(0); // codec: none
    h.varint(entries.size());
    for (BlockEntry e : entries) {
      h.u8(e.type()).bytes(e.id().bytes()).varint(e.offset()).varint(e.storedLength()).varint(e.rawLength());
    }
    byte[] body = h.toByteArray();
    byte[] header = sealer.seal(ObjectTypes.BLOCK_HEADER, HEADER_ID, ObjectSealer.HEADER_NONCE, body, 0, body.length);
    append(header);
    byte[] trailer = new byte[TRAILER];
    int hl = header.length;
    trailer[0] = (byte) (hl >>> 24);
    trailer[1] = (byte) (hl >>> 16);
    trailer[2] = (byte) (hl >>> 8);
    trailer[3] = (byte) hl;
    System.arraycopy(END, 0, trailer, 4, 8);
    append(trailer);
    byte[] bytes = buf;
    buf = null;
    return new Finished(au.com.backup247.agent.repo.crypto.Hashes.sha256Hex(bytes, size), bytes, size, List.copyOf(entries));
  }
}
