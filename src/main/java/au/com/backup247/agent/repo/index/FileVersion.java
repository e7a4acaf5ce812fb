package au.com.backup247.agent.repo.index;

import java.util.List;

/**
 * One version of one path (FORMAT.md §5): a file, folder or symlink with the metadata to restore it
 * (mode with its set-id and sticky bits, times, owner, extended attributes) and, for files, the ids
 * of its content chunks in order.
 *
 * @param path absolute source path with '/' separators, names as exact bytes ({@link RawNames})
 * @param kind {@link #FILE}, {@link #FOLDER} or {@link #SYMLINK}
 * @param xattrs extended attributes, by name (empty when there are none or they are not supported)
 */
public record FileVersion(String path, int kind, long size, int mode, long mtimeNanos, long ctimeNanos, long inode,
    String target, List<ChunkId> chunks, long uid, long gid, List<ExtendedAttribute> xattrs) {

  public static final int FILE = 1;
  public static final int FOLDER = 2;
  public static final int SYMLINK = 3;
  /** Set in the stored kind byte when extension fields follow the chunk ids. */
  static final int HAS_EXTENSIONS = 0x80;
  /** Extension field: one extended attribute (name string, then the value to the field's end). */
  static final int FIELD_XATTR = 1;

  /** A version without extended attributes. */
  public FileVersion(String path, int kind, long size, int mode, long mtimeNanos, long ctimeNanos, long inode,
      String target, List<ChunkId> chunks, long uid, long gid) {
    this(path, kind, size, mode, mtimeNanos, ctimeNanos, inode, target, chunks, uid, gid, List.of());
  }

  /** A version without owner information (uid and gid -1: unknown, not restored). */
  public FileVersion(String path, int kind, long size, int mode, long mtimeNanos, long ctimeNanos, long inode,
      String target, List<ChunkId> chunks) {
    this(path, kind, size, mode, mtimeNanos, ctimeNanos, inode, target, chunks, -1, -1);
  }

  public FileVersion {
    chunks = List.copyOf(chunks);
    xattrs = List.copyOf(xattrs);
    if (kind < FILE || kind > SYMLINK) {
      throw new IllegalArgumentException("kind must be 1..3, got " + kind);
    }
  }

  /** True when the metadata says the content cannot have changed (size, mtime, ctime, inode). */
  public boolean sameAs(long size, long mtimeNanos, long ctimeNanos, long inode, int kind) {
    return this.kind == kind && this.size == size && this.mtimeNanos == mtimeNanos && this.ctimeNanos == ctimeNanos
        && this.inode == inode;
  }

  /** Stored bytes of the extended attributes (for size estimates). */
  public int xattrBytes() {
    int n = 0;
    for (ExtendedAttribute a : xattrs) {
      n += a.name().length() + a.length() + 8;
    }
    return n;
  }

  public void encode(BinaryWriter w) {
    w.string(path).u8(xattrs.isEmpty() ? kind : kind | HAS_EXTENSIONS).varint(size).varint(mode).varint(mtimeNanos)
        .varint(Math.max(0, ctimeNanos)).varint(Math.max(0, inode)).string(target == null ? "" : target)
        .varint(uid + 1).varint(gid + 1).varint(chunks.size());
    for (ChunkId c : chunks) {
      w.bytes(c.bytes());
    }
    if (!xattrs.isEmpty()) {
      w.varint(xattrs.size());
      for (ExtendedAttribute a : xattrs) {
        BinaryWriter f = new BinaryWriter(a.name().length() + a.length() + 8);
        f.string(a.name()).bytes(a.value());
        w.varint(FIELD_XATTR).varint(f.size()).bytes(f.toByteArray());
      }
    }
  }

  public static FileVersion decode(BinaryReader r) {
    String path = r.string();
    int stored = r.u8();
    int kind = stored & ~HAS_EXTENSIONS;
    if (kind < FILE || kind > SYMLINK) {
      throw new au.com.backup247.agent.repo.error.CorruptDataException("file version of " + path + " has unknown kind " + kind);
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
    List<ExtendedAttribute> xattrs = (stored & HAS_EXTENSIONS) == 0 ? List.of() : extensions(r, path);
    return new FileVersion(path, kind, size, mode, mtime, ctime, inode, target, List.of(ids), uid, gid, xattrs);
  }

  /** The extension fields: {@code varint n, n × (field varint | length varint | bytes)}; unknown fields are skipped. */
  private static List<ExtendedAttribute> extensions(BinaryReader r, String path) {
    int n = r.varintInt(1 << 16);
    List<ExtendedAttribute> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int field = r.varintInt(Integer.MAX_VALUE);
      int length = r.varintInt(1 << 24);
      byte[] body = r.bytes(length);
      if (field == FIELD_XATTR) {
        BinaryReader f = new BinaryReader(body, 0, body.length, "extended attribute of " + path);
        String name = f.string();
        out.add(new ExtendedAttribute(name, f.bytes(f.remaining())));
      }
    }
    return out;
  }
}
