package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.WireCodec;
import au.com.backup247.agent.repo.index.BinaryReader;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pipeline stages send each other: immutable records of plain data, each with a codec that
 * can put it on the wire ({@link WireCodec}), so a stage can run on another node of a cluster. A
 * message that refers to the job's shared state names the run ({@link Runs}) and an entry of its
 * index window by number, never the live objects.
 *
 * <p>Byte arrays are not copied within one JVM ({@link WireCodec#transform}); the rules that make
 * this safe: the bodies of {@link Blobs} move with the message (the chunker allocated each for its blob
 * and keeps no reference), and a {@link Block}'s bytes are lent read-only: the sealer sends the same
 * array to every destination and puts it back in its pool only once each of them answered
 * {@link Written}, after which no uploader touches it. On the wire both are copied.
 */
public final class Messages {
  private Messages() {
  }

  /**
   * Scan → chunk: read entries {@code seqs} of run {@code run}'s index window (files), in this order.
   * Small files travel together, so one message and one credit carry many of them.
   */
  public record FileBatch(String run, List<Long> seqs) {
    public FileBatch {
      seqs = List.copyOf(seqs);
    }
  }

  /** One file of a {@link FileBatch} read: entry {@code seq}'s new version, or null when it was skipped (the log says why). */
  public record Done(long seq, FileVersion version) {
  }

  /** Chunk → scan: the files of a {@link FileBatch}, read. */
  public record FilesDone(String run, List<Done> files) {
    public FilesDone {
      files = List.copyOf(files);
    }
  }

  /**
   * Chunk → seal: chunks, and full batches of FILE records, to store (each body compressed, codec
   * byte first; the bodies move with the message). At most about {@code batchBytes} of bodies, or one
   * larger blob alone (ChunkVerticle).
   */
  public record Blobs(List<NewBlob> blobs) {
    public Blobs {
      blobs = List.copyOf(blobs);
    }
  }

  /** Seal → upload: a finished block; {@code bytes} holds {@code length} valid bytes, lent until {@link Written}. */
  public record Block(String path, byte[] bytes, int length) {
  }

  /** Upload → seal: the outcome of writing a block at one destination. */
  public record Written(String path, int destination, boolean ok, String error) {
  }

  static final WireCodec<FileBatch> FILE_BATCH = WireCodec.of(FileBatch.class, (m, out) -> {
    WireCodec.string(out, m.run());
    out.appendInt(m.seqs().size());
    for (long seq : m.seqs()) {
      out.appendLong(seq);
    }
  }, in -> {
    String run = in.string();
    List<Long> seqs = new ArrayList<>();
    for (int n = in.count(8); n > 0; n--) {
      seqs.add(in.int64());
    }
    return new FileBatch(run, seqs);
  });

  static final WireCodec<FilesDone> FILES_DONE = WireCodec.of(FilesDone.class, (m, out) -> {
    WireCodec.string(out, m.run());
    out.appendInt(m.files().size());
    for (Done d : m.files()) {
      out.appendLong(d.seq());
      out.appendByte((byte) (d.version() == null ? 0 : 1));
      if (d.version() != null) {
        BinaryWriter w = new BinaryWriter(256);
        d.version().encode(w);
        WireCodec.bytes(out, w.toByteArray(), 0, w.size());
      }
    }
  }, in -> {
    String run = in.string();
    List<Done> files = new ArrayList<>();
    for (int n = in.count(9); n > 0; n--) {
      long seq = in.int64();
      if (!in.bool()) {
        files.add(new Done(seq, null));
        continue;
      }
      byte[] v = in.bytes();
      BinaryReader r = new BinaryReader(v, 0, v.length, "file version of a FilesDone message");
      FileVersion version = FileVersion.decode(r);
      r.expectEnd();
      files.add(new Done(seq, version));
    }
    return new FilesDone(run, files);
  });

  static final WireCodec<Blobs> BLOBS = WireCodec.of(Blobs.class, (m, out) -> {
    out.appendInt(m.blobs().size());
    for (NewBlob b : m.blobs()) {
      out.appendInt(b.type());
      WireCodec.bytes(out, b.id().bytes(), 0, ChunkId.SIZE);
      out.appendInt(b.rawLength());
      WireCodec.bytes(out, b.body(), 0, b.body().length);
    }
  }, in -> {
    List<NewBlob> blobs = new ArrayList<>();
    for (int n = in.count(16); n > 0; n--) {
      int type = in.int32();
      ChunkId id = new ChunkId(in.bytes());
      int rawLength = in.int32();
      blobs.add(new NewBlob(type, id, in.bytes(), rawLength));
    }
    return new Blobs(blobs);
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
    FILE_BATCH.register(vertx, FileBatch.class);
    FILES_DONE.register(vertx, FilesDone.class);
    BLOBS.register(vertx, Blobs.class);
    BLOCK.register(vertx, Block.class);
    WRITTEN.register(vertx, Written.class);
  }
}
