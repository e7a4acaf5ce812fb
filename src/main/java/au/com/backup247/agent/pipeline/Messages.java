package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.WireCodec;
import au.com.backup247.agent.repo.index.BinaryReader;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import io.vertx.core.Vertx;

/**
 * What the pipeline stages send each other: immutable records of plain data, each with a codec that
 * can put it on the wire ({@link WireCodec}), so a stage can run on another node of a cluster. A
 * message that refers to the job's shared state names the run ({@link Runs}) and an entry of its
 * index window by number, never the live objects.
 *
 * <p>Byte arrays are not copied within one JVM ({@link WireCodec#transform}); the rules that make
 * this safe: a {@link Blob}'s body moves with the message (the chunker allocated it for this blob
 * and keeps no reference), and a {@link Block}'s bytes are lent read-only: the sealer sends the same
 * array to every destination and puts it back in its pool only once each of them answered
 * {@link Written}, after which no uploader touches it. On the wire both are copied.
 */
public final class Messages {
  private Messages() {
  }

  /** Scan → chunk: read entry {@code seq} of run {@code run}'s index window (a file). */
  public record FileTask(String run, long seq) {
  }

  /** Chunk → scan: entry {@code seq}'s new version, or null when it was skipped (the log says why). */
  public record FileDone(String run, long seq, FileVersion version) {
  }

  /**
   * Chunk → seal: a chunk, or a full batch of FILE records, to store (body compressed, codec byte
   * first; the body moves with it).
   */
  public record Blob(NewBlob blob) {
  }

  /** Seal → upload: a finished block; {@code bytes} holds {@code length} valid bytes, lent until {@link Written}. */
  public record Block(String path, byte[] bytes, int length) {
  }

  /** Upload → seal: the outcome of writing a block at one destination. */
  public record Written(String path, int destination, boolean ok, String error) {
  }

  static final WireCodec<FileTask> FILE_TASK = WireCodec.of(FileTask.class, (m, out) -> {
    WireCodec.string(out, m.run());
    out.appendLong(m.seq());
  }, in -> new FileTask(in.string(), in.int64()));

  static final WireCodec<FileDone> FILE_DONE = WireCodec.of(FileDone.class, (m, out) -> {
    WireCodec.string(out, m.run());
    out.appendLong(m.seq());
    out.appendByte((byte) (m.version() == null ? 0 : 1));
    if (m.version() != null) {
      BinaryWriter w = new BinaryWriter(256);
      m.version().encode(w);
      WireCodec.bytes(out, w.toByteArray(), 0, w.size());
    }
  }, in -> {
    String run = in.string();
    long seq = in.int64();
    if (!in.bool()) {
      return new FileDone(run, seq, null);
    }
    byte[] v = in.bytes();
    BinaryReader r = new BinaryReader(v, 0, v.length, "file version of a FileDone message");
    FileVersion version = FileVersion.decode(r);
    r.expectEnd();
    return new FileDone(run, seq, version);
  });

  static final WireCodec<Blob> BLOB = WireCodec.of(Blob.class, (m, out) -> {
    NewBlob b = m.blob();
    out.appendInt(b.type());
    WireCodec.bytes(out, b.id().bytes(), 0, ChunkId.SIZE);
    out.appendInt(b.rawLength());
    WireCodec.bytes(out, b.body(), 0, b.body().length);
  }, in -> {
    int type = in.int32();
    ChunkId id = new ChunkId(in.bytes());
    int rawLength = in.int32();
    return new Blob(new NewBlob(type, id, in.bytes(), rawLength));
  });

  static final WireCodec<Block> BLOCK = WireCodec.of(Block.class, (m, out) -> {
    WireCodec.string(out, m.path());
    WireCodec.bytes(out, m.bytes(), 0, m.length());
  }, in -> {
    String path = in.string();
    byte[] bytes = in.bytes();
    return new Block(path, bytes, bytes.length);
  });

  static final WireCodec<Written> WRITTEN = WireCodec.of(Written.class, (m, out) -> {
    WireCodec.string(out, m.path());
    out.appendInt(m.destination());
    out.appendByte((byte) (m.ok() ? 1 : 0));
    WireCodec.string(out, m.error());
  }, in -> new Written(in.string(), in.int32(), in.bool(), in.string()));

  /** Registers the messages' codecs on {@code vertx} (idempotent). */
  public static void register(Vertx vertx) {
    FILE_TASK.register(vertx, FileTask.class);
    FILE_DONE.register(vertx, FileDone.class);
    BLOB.register(vertx, Blob.class);
    BLOCK.register(vertx, Block.class);
    WRITTEN.register(vertx, Written.class);
  }
}
