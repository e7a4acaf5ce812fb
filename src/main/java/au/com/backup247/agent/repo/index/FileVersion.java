package au.com.backup247.agent.repo.index;

import java.util.List;

/**
 * One version of one path (FORMAT.md §5): a file, folder or symlink with the metadata to restore it
 * and, for files, the ids of its content chunks in order.
 *
 * @param path absolute source path with '/' separators
 * @param kind {@link #FILE}, {@link #FOLDER} or {@link #SYMLINK}
 */
public record FileVersion(String path, int kind, long size, int mode, long mtimeNanos, long ctimeNanos, long inode,
    String target, List<ChunkId> chunks, long uid, long gid) {

  public static final int FILE = 1;
  public static final int FOLDER = 2;
  public static final int SYMLINK = 3;

  /** A version without owner information (uid and gid -1: unknown, not restored). */
  public FileVersion(String path, int kind, long size, int mode, long mtimeNanos, long ctimeNanos, long inode,
      String target, List<ChunkId> chunks) {
    this(path, kind, size, mode, mtimeNanos, ctimeNanos, inode, target, chunks, -1, -1);
  }

  public FileVersion {
    chunks = List.copyOf(chunks);
    if (kind < FILE || kind > SYMLINK) {
      throw new IllegalArgumentException("kind must be 1..3, got " + kind);
    }
  }

  /** True when the metadata says the content cannot have changed (size, mtime, ctime, inode). */
  public boolean sameAs(long size, long mtimeNanos, long ctimeNanos, long inode, int kind) {
    return this.kind == kind && this.size == size && this.mtimeNanos == mtimeNanos && this.ctimeNanos == ctimeNanos
        && this.inode == inode;
  }

  public void encode(BinaryWriter w) {
    w.string(path).u8(kind).varint(size).varint(mode).varint(mtimeNanos).varint(Math.max(0, ctimeNanos))
        .varint(Math.max(0, inode)).string(target == null ? "" : target).varint(uid + 1).varint(gid + 1)
        .varint(chunks.size());
    for (ChunkId c : chunks) {
      w.bytes(c.bytes());
    }
  }

  public static FileVersion decode(BinaryReader r) {
    String path = r.string();
    int kind = r.u8();
    if (kind < FILE || kind > SYMLINK) {
      throw new au.com.backup247.agent.repo.CorruptDataException("file version of " + path + " has unknown kind " + kind);
    }
    long size = r.varint();
    int mode = r.varintInt(07777);
    long mtime = r.varint();
    long ctime = r.varint();
    long inode = r.varint();
    String target = r.string();
    long uid = r.varint() - 1;
    long gid = r.varint() - 1;
    int n = r.varintInt(1 << 26);
    ChunkId[] ids = new ChunkId[n];
    for (int i = 0; i < n; i++) {
      ids[i] = new ChunkId(r.bytes(ChunkId.SIZE));
    }
    return new FileVersion(path, kind, size, mode, mtime, ctime, inode, target, List.of(ids), uid, gid);
  }
}
