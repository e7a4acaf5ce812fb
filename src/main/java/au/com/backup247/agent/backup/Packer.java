package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.ObjectTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The packer (seal stage): seals blobs into the one open block, and batches the FILE records of
 * stored versions into FILE blobs (so the index can be rebuilt from blocks alone). A full block is
 * listed in every live destination's index and handed to the shipper the driver set
 * ({@link #shipTo}); its buffer comes back with {@link #recycle} once every destination wrote it.
 * Owns the open block, the FILE batch and the pool of block buffers; thread-safe (two locks:
 * compression and hashing happen before, in parallel; sealing is fast, so one shared block keeps
 * memory at one block instead of one per thread). A block is shipped outside the locks, on the
 * thread that filled it.
 */
public final class Packer {
  static final int FILE_BATCH_BYTES = 256 * 1024;

  private final BackupJob job;
  private final Repository lead;
  private final Object packLock = new Object();
  private BlockWriter current;
  private final BlockingQueue<byte[]> bufferPool = new LinkedBlockingQueue<>();
  private final Object fileBatchLock = new Object();
  private BinaryWriter fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
  private int fileBatchCount;
  private Consumer<BlockWriter.Finished> shipper;

  Packer(BackupJob job) {
    this.job = job;
    this.lead = job.lead();
  }

  /** Routes finished blocks: the driver decides how they reach the destinations. */
  public void shipTo(Consumer<BlockWriter.Finished> shipper) {
    this.shipper = shipper;
  }

  /** Seals a chunk into the open block; a full block goes to the shipper. */
  public void pack(NewBlob b) {
    BlockEntry entry = pack(ObjectTypes.DATA, b.id(), b.body(), b.rawLength());
    job.stats().bytesStored.addAndGet(entry.storedLength());
  }

  private BlockEntry pack(int type, ChunkId id, byte[] body, int rawLength) {
    BlockWriter.Finished full = null;
    BlockEntry entry;
    synchronized (packLock) {
      if (current == null) {
        byte[] b = bufferPool.poll();
        current = b != null && b.length >= lead.blockBufferSize() ? lead.newBlockWriter(b) : lead.newBlockWriter();
      }
      entry = current.add(type, id, body, rawLength);
      if (current.size() >= lead.config().blockSize() || current.count() >= BlockWriter.MAX_BLOBS) {
        full = current.finish();
        current = null;
      }
    }
    if (full != null) {
      ship(full);
    }
    return entry;
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
      packFileBatch(full);
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

  private void packFileBatch(byte[] plain) {
    pack(ObjectTypes.FILE, new ChunkId(Hashes.sha256(plain)), lead.compressor().body(plain, 0, plain.length),
        plain.length);
  }

  /** Packs the last FILE records and ships the last, partly filled block. Call once, after every file. */
  public void finish() {
    byte[] batch;
    synchronized (fileBatchLock) {
      batch = takeFileBatch();
    }
    if (batch != null) {
      packFileBatch(batch);
    }
    BlockWriter.Finished last = null;
    synchronized (packLock) {
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
  public void recycle(byte[] buffer) {
    bufferPool.offer(buffer);
  }
}
