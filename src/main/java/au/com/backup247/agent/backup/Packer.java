package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The packer (seal stage): seals blobs into the one open block, and batches the FILE records of
 * stored versions into FILE blobs (so the index can be rebuilt from blocks alone). A full block is
 * listed in every live destination's index and handed to the shipper the driver set
 * ({@link #shipTo}); its buffer comes back with {@link #recycle} once every destination wrote it.
 *
 * <p>Memory: at most {@link #limitBuffers} block buffers exist (one filling, the others lent to the
 * destinations); the driver packs a blob only when {@link #hasRoom} says a buffer is at hand, so the
 * packer never allocates more. A block is closed before a blob that would take it past the block
 * size, so a buffer needs no room for one more largest chunk. FILE records are recorded on any thread ({@link #record}); a full
 * batch is compressed there and waits, as a blob, for someone to take it ({@link #takeRecords}) and
 * pack it like any other: a chunker sends it to the sealer through its credit flow, and the sealer
 * takes what is left (batches the scan filled, the last one). Sealing itself happens on one thread
 * at a time (the driver's); recording is thread-safe.
 */
public final class Packer {
  static final int FILE_BATCH_BYTES = 256 * 1024;

  private final BackupJob job;
  private final Repository lead;
  private final int blockSize;
  private BlockWriter current;
  private final Deque<byte[]> bufferPool = new ArrayDeque<>();
  private int maxBuffers = Integer.MAX_VALUE;
  private int buffers;
  private final Object fileBatchLock = new Object();
  private BinaryWriter fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
  private int fileBatchCount;
  private final Deque<NewBlob> fullBatches = new ArrayDeque<>();
  private volatile Runnable onRecords = () -> { };
  private Consumer<BlockWriter.Finished> shipper;

  Packer(BackupJob job) {
    this.job = job;
    this.lead = job.lead();
    this.blockSize = lead.config().blockSize();
  }

  /** Routes finished blocks: the driver decides how they reach the destinations. */
  public void shipTo(Consumer<BlockWriter.Finished> shipper) {
    this.shipper = shipper;
  }

  /** At most {@code n} block buffers (at least 1): one filling, the rest being written. */
  public synchronized void limitBuffers(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("at least one block buffer is needed, got " + n);
    }
    maxBuffers = n;
  }

  /** Called (on the recording thread) each time a batch of FILE records is ready to be taken. */
  public void onRecords(Runnable listener) {
    this.onRecords = listener;
  }

  /** Block buffers allocated so far (never more than the limit; they are reused). */
  public synchronized int buffers() {
    return buffers;
  }

  /** Whether {@code next} can be packed without a block buffer beyond the limit. */
  public synchronized boolean hasRoom(NewBlob next) {
    return current != null && fits(next) || !bufferPool.isEmpty() || buffers < maxBuffers;
  }

  /** Whether {@code b} fits in the open block without taking it past the block size (an empty block takes any). */
  private boolean fits(NewBlob b) {
    return current.isEmpty() || (long) current.size() + b.body().length + current.maxOverhead() <= blockSize;
  }

  /**
   * Seals a blob (a chunk, or a batch of FILE records) into the open block; a block is closed before
   * a blob that would take it past the block size, or once it is full, and goes to the shipper. Call
   * only when {@link #hasRoom} says so for {@code b}.
   */
  public void pack(NewBlob b) {
    BlockEntry entry = packBlob(b);
    if (b.type() == ObjectTypes.DATA) {
      job.stats().bytesStored.addAndGet(entry.storedLength());
    }
  }

  private BlockEntry packBlob(NewBlob b) {
    BlockWriter.Finished before = null;
    BlockWriter.Finished full = null;
    BlockEntry entry;
    synchronized (this) {
      if (current != null && !fits(b)) {
        before = current.finish();
        current = null;
      }
      if (current == null) {
        current = lead.newBlockWriter(takeBuffer());
      }
      entry = current.add(b.type(), b.id(), b.body(), b.rawLength());
      if (current.size() >= blockSize || current.count() >= BlockWriter.MAX_BLOBS) {
        full = current.finish();
        current = null;
      }
    }
    if (before != null) {
      ship(before);
    }
    if (full != null) {
      ship(full);
    }
    return entry;
  }

  private byte[] takeBuffer() {
    byte[] b = bufferPool.poll();
    if (b != null) {
      return b;
    }
    if (buffers >= maxBuffers) {
      throw new IllegalStateException("no block buffer free (" + buffers + " in use): a blob was packed without room");
    }
    buffers++;
    // a block never passes its size but for its header and trailer (at most MAX_BLOBS entries),
    // unless one blob alone is larger
    return new byte[Math.max(blockSize, lead.chunker().maxSize() + 4096) + (1 << 20)];
  }

  /** Adds a version's FILE record to the batch that goes into a block. */
  void record(FileVersion v) {
    byte[] full = null;
    synchronized (fileBatchLock) {
      v.encode(fileBatch);
      fileBatchCount++;
      if (fileBatch.size() >= FILE_BATCH_BYTES) {
        full = takeFileBatch();
      }
    }
    if (full != null) {
      queue(full);
    }
  }

  /** A full batch of FILE records, compressed, to be packed (by whoever took it), or null. */
  public NewBlob takeRecords() {
    synchronized (fileBatchLock) {
      return fullBatches.poll();
    }
  }

  /** As {@link #takeRecords}, but only when there is room to pack the batch ({@link #hasRoom}). */
  public NewBlob takeRecordsWithRoom() {
    synchronized (fileBatchLock) {
      NewBlob b = fullBatches.peek();
      return b != null && hasRoom(b) ? fullBatches.poll() : null;
    }
  }

  /** Whether a batch of FILE records waits to be taken. */
  public boolean hasRecords() {
    synchronized (fileBatchLock) {
      return !fullBatches.isEmpty();
    }
  }

  /** Closes the last, partly filled batch of FILE records, so {@link #takeRecords} gives it. Call after every file. */
  public void flushRecords() {
    byte[] batch;
    synchronized (fileBatchLock) {
      batch = takeFileBatch();
    }
    if (batch != null) {
      queue(batch);
    }
  }

  private byte[] takeFileBatch() {
    if (fileBatchCount == 0) {
      return null;
    }
    BinaryWriter w = new BinaryWriter(fileBatch.size() + 8);
    w.varint(fileBatchCount);
    w.bytes(fileBatch.toByteArray());
    fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
    fileBatchCount = 0;
    return w.toByteArray();
  }

  private void queue(byte[] plain) {
    NewBlob b = new NewBlob(ObjectTypes.FILE, new ChunkId(Hashes.sha256(plain)),
        lead.compressor().body(plain, 0, plain.length), plain.length);
    synchronized (fileBatchLock) {
      fullBatches.add(b);
    }
    onRecords.run();
  }

  /**
   * Ships the last, partly filled block. Call once, after every blob and every batch of FILE records
   * ({@link #flushRecords}, {@link #takeRecords}) was packed.
   */
  public void finish() {
    if (hasRecords()) {
      throw new IllegalStateException("FILE records are still waiting to be packed");
    }
    BlockWriter.Finished last = null;
    synchronized (this) {
      if (current != null && !current.isEmpty()) {
        last = current.finish();
      }
      current = null;
    }
    if (last != null) {
      ship(last);
    }
  }

  /** The path a finished block is stored under. */
  public String blockPath(BlockWriter.Finished f) {
    return "blocks/" + job.jobId() + "/" + f.name() + ".bak";
  }

  /** Lists a finished block in every live destination's index, then hands it to the shipper. */
  private void ship(BlockWriter.Finished f) {
    String path = blockPath(f);
    List<IndexSegment.Blob> blobs = new ArrayList<>(f.entries().size());
    for (BlockEntry e : f.entries()) {
      blobs.add(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(),
          e.rawLength())));
    }
    IndexSegment.Block block = new IndexSegment.Block(path, f.length());
    job.stats().blocks.incrementAndGet();
    for (DestinationJob d : job.live()) {
      d.shipped(block, blobs);
    }
    shipper.accept(f);
  }

  /** Gives a block buffer back once every destination is done with it. */
  public synchronized void recycle(byte[] buffer) {
    bufferPool.add(buffer);
  }
}
