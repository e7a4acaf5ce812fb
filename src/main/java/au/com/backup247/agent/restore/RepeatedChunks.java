package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunks of one restore, read, authenticated, decompressed and checked against their id by
 * {@link Repository#readBlob} once each where they are used more than once: a disk image that
 * repeats a region, or many copies of one small file, would otherwise decrypt and decompress the
 * same chunk at every use. The uses of every chunk of the files to restore are counted first; a
 * chunk used again is kept (plaintext that passed its checks) until its last use, as long as the
 * kept chunks stay under a byte limit (past it, a chunk is decoded at each use as before).
 *
 * <p>Thread-safe: two files that need one chunk at once wait for the one decoding it.
 */
final class RepeatedChunks {
  /** A chunk used more than once: its uses still to come and, while kept, its bytes. */
  private static final class Entry {
    int remaining;
    byte[] data;

    Entry(int uses) {
      remaining = uses;
    }
  }

  private final Repository repo;
  private final Map<ChunkId, Entry> repeated;
  private final long maxBytes;
  private long keptBytes;
  private final AtomicLong decoded = new AtomicLong();

  /** Counts the uses of the chunks of {@code files}; keeps at most {@code maxBytes} of plaintext. */
  RepeatedChunks(Repository repo, Iterable<FileVersion> files, long maxBytes) {
    this.repo = repo;
    this.maxBytes = maxBytes;
    Map<ChunkId, Entry> uses = new HashMap<>();
    for (FileVersion v : files) {
      for (ChunkId id : v.chunks()) {
        uses.computeIfAbsent(id, k -> new Entry(0)).remaining++;
      }
    }
    uses.values().removeIf(e -> e.remaining < 2);
    this.repeated = uses;
  }

  /**
   * The plaintext of chunk {@code id} (see {@link Repository#readBlob} for the checks and errors):
   * a view of {@code buf} (valid until its next use) or of bytes kept for the chunk's later uses;
   * with {@code buf} null, an array of its own.
   */
  ByteBuffer read(ChunkId id, BlobLocation loc, Repository.PlainBuffer buf) {
    Entry e = repeated.get(id);
    if (e == null) {
      return decode(id, loc, buf);
    }
    synchronized (e) {
      ByteBuffer data = e.data == null ? null : ByteBuffer.wrap(e.data);
      if (data == null) {
        data = decode(id, loc, buf);
        if (e.remaining > 1 && keep(data.remaining())) {
          e.data = new byte[data.remaining()];
          data.duplicate().get(e.data);
        }
      }
      if (--e.remaining <= 0 && e.data != null) {
        keep(-e.data.length);
        e.data = null;
      }
      return data;
    }
  }

  /** How many chunks were decoded (each use of a chunk not kept, and once for each kept one). */
  long decoded() {
    return decoded.get();
  }

  private ByteBuffer decode(ChunkId id, BlobLocation loc, Repository.PlainBuffer buf) {
    decoded.incrementAndGet();
    return buf == null ? ByteBuffer.wrap(repo.readBlob(id, loc)) : repo.readBlob(id, loc, buf);
  }

  /** Adds {@code n} bytes to the kept ones (negative: releases them); false when that would pass the limit. */
  private synchronized boolean keep(long n) {
    if (n > 0 && keptBytes + n > maxBytes) {
      return false;
    }
    keptBytes += n;
    return true;
  }
}
