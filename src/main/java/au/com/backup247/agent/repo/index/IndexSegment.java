package au.com.backup247.agent.repo.index;

import au.com.backup247.agent.repo.error.CorruptDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plaintext of one job's index segment (FORMAT.md §5): blocks written, blob locations, file
 * versions added (sorted by path) and paths whose version ended in this job.
 */
public record IndexSegment(String jobId, String previousJobId, List<Block> blocks, List<Blob> blobs,
    List<FileVersion> added, List<String> ended) {

  /** A block file this job wrote: its path relative to the repository and its size. */
  public record Block(String path, long size) {
  }

  /** A blob this job stored. */
  public record Blob(ChunkId id, BlobLocation location) {
  }

  private static final byte[] MAGIC = "IDX1".getBytes(StandardCharsets.US_ASCII);

  public byte[] encode() {
    BinaryWriter w = new BinaryWriter(64 * 1024);
    w.bytes(MAGIC).string(jobId).string(previousJobId == null ? "" : previousJobId);
    Map<String, Integer> blockIndex = new HashMap<>();
    w.varint(blocks.size());
    for (Block b : blocks) {
      blockIndex.put(b.path(), blockIndex.size());
      w.string(b.path()).varint(b.size());
    }
    w.varint(blobs.size());
    for (Blob b : blobs) {
      Integer bi = blockIndex.get(b.location().block());
      if (bi == null) {
        throw new IllegalStateException("blob " + b.id() + " refers to block " + b.location().block()
            + " that is not in this segment");
      }
      w.u8(b.location().type()).bytes(b.id().bytes()).varint(bi).varint(b.location().offset())
          .varint(b.location().storedLength()).varint(b.location().rawLength());
    }
    w.varint(added.size());
    for (FileVersion v : added) {
      v.encode(w);
    }
    w.varint(ended.size());
    for (String p : ended) {
      w.string(p);
    }
    return w.toByteArray();
  }

  public static IndexSegment decode(byte[] plain, String what) {
    return decode(plain, what, true);
  }

  /**
   * Decodes a segment; without {@code files} it stops after the blobs (the added and ended lists
   * come back empty), which is all a backup needs to learn which chunks a repository holds.
   */
  public static IndexSegment decode(byte[] plain, String what, boolean files) {
    BinaryReader r = new BinaryReader(plain, 0, plain.length, what);
    byte[] magic = r.bytes(4);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new CorruptDataException(what + " does not start with IDX1");
    }
    String jobId = r.string();
    String prev = r.string();
    int nb = r.varintInt(1 << 24);
    List<Block> blocks = new ArrayList<>(nb);
    for (int i = 0; i < nb; i++) {
      blocks.add(new Block(r.string(), r.varint()));
    }
    int nblobs = r.varintInt(1 << 28);
    List<Blob> blobs = new ArrayList<>(nblobs);
    for (int i = 0; i < nblobs; i++) {
      int type = r.u8();
      ChunkId id = new ChunkId(r.bytes(ChunkId.SIZE));
      int bi = r.varintInt(nb - 1);
      blobs.add(new Blob(id, new BlobLocation(type, blocks.get(bi).path(), r.varint(), r.varintInt(Integer.MAX_VALUE),
          r.varintInt(Integer.MAX_VALUE))));
    }
    if (!files) {
      return new IndexSegment(jobId, prev.isEmpty() ? null : prev, blocks, blobs, List.of(), List.of());
    }
    int na = r.varintInt(1 << 28);
    List<FileVersion> added = new ArrayList<>(na);
    for (int i = 0; i < na; i++) {
      added.add(FileVersion.decode(r));
    }
    int ne = r.varintInt(1 << 28);
    List<String> ended = new ArrayList<>(ne);
    for (int i = 0; i < ne; i++) {
      ended.add(r.string());
    }
    r.expectEnd();
    return new IndexSegment(jobId, prev.isEmpty() ? null : prev, blocks, blobs, added, ended);
  }
}
