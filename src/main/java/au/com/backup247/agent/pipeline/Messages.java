package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.Item;
import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.LocalCodec;
import au.com.backup247.agent.repo.index.FileVersion;
import io.vertx.core.Vertx;

/** What the pipeline stages send each other (in-JVM, passed without copying; see {@link LocalCodec}). */
public final class Messages {
  private Messages() {
  }

  /** Scan → chunk: a file to read. */
  public record FileTask(Item item) {
  }

  /** Chunk → scan: the file's version, or null when it was skipped (the log says why). */
  public record FileDone(Item item, FileVersion result) {
  }

  /** Chunk → seal: a chunk to store (body compressed, codec byte first). */
  public record Blob(NewBlob blob) {
  }

  /** Seal → upload: a finished block; {@code bytes} holds {@code length} valid bytes. */
  public record Block(String path, byte[] bytes, int length) {
  }

  /** Upload → seal: the outcome of writing a block at one destination. */
  public record Written(String path, int destination, boolean ok, String error) {
  }

  /** Registers the local codecs (idempotent). */
  public static void register(Vertx vertx) {
    LocalCodec.register(vertx, FileTask.class, FileDone.class, Blob.class, Block.class, Written.class);
  }
}
