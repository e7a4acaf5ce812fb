package au.com.backup247.agent.repo.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a job's index segment, or a checkpoint, as a series of parts (FORMAT.md §5) while the job
 * runs, so memory holds one part (about {@link #PART_BYTES} of records) instead of the whole index.
 * Each part is a complete IDX1 record set; {@code added} and {@code ended} must arrive in
 * {@link PathOrder} order, so they stay sorted across parts. Blocks are listed in the part where
 * they are first added and again in any later part that has one of their blobs. Thread-safe.
 */
public final class IndexPartWriter {
  /** Plaintext size that closes a part. */
  public static final int PART_BYTES = 1 << 20;

  /** Stores one part's plaintext under {@code name} and returns its reference. */
  @FunctionalInterface
  public interface Sink {
    IndexRef write(String name, byte[] plain);
  }

  private final String jobId;
  private final String previousJobId;
  private final String base;
  private final String extension;
  private final Sink sink;
  private final int partBytes;
  private final Map<String, Long> blockSizes = new HashMap<>();
  private final List<IndexRef> refs = new ArrayList<>();
  private final LinkedHashMap<String, IndexSegment.Block> blocks = new LinkedHashMap<>();
  private final List<IndexSegment.Blob> blobs = new ArrayList<>();
  private final List<FileVersion> added = new ArrayList<>();
  private final List<String> ended = new ArrayList<>();
  private String lastAdded;
  private String lastEnded;
  private long bytes;
  private boolean finished;

  /**
   * @param base object path without extension, e.g. {@code index/2026-11-26-10-00-00}
   * @param extension {@code idx} or {@code ckp}
   */
  public IndexPartWriter(String jobId, String previousJobId, String base, String extension, Sink sink) {
    this(jobId, previousJobId, base, extension, sink, PART_BYTES);
  }

  public IndexPartWriter(String jobId, String previousJobId, String base, String extension, Sink sink,
      int partBytes) {
    this.jobId = jobId;
    this.previousJobId = previousJobId;
    this.base = base;
    this.extension = extension;
    this.sink = sink;
    this.partBytes = partBytes;
  }

  /** The name of part {@code n}: {@code base.ext} for the first, {@code base.n.ext} after. */
  public static String partName(String base, String extension, int n) {
    return n == 0 ? base + "." + extension : base + "." + n + "." + extension;
  }

  public synchronized void block(IndexSegment.Block b) {
    blockSizes.put(b.path(), b.size());
    if (blocks.putIfAbsent(b.path(), b) == null) {
      grow(b.path().length() + 12);
    }
  }

  public synchronized void blob(IndexSegment.Blob b) {
    String block = b.location().block();
    if (!blocks.containsKey(block)) {
      Long size = blockSizes.get(block);
      if (size == null) {
        throw new IllegalStateException("blob " + b.id() + " refers to block " + block + " that was never added");
      }
      blocks.put(block, new IndexSegment.Block(block, size));
      grow(block.length() + 12);
    }
    blobs.add(b);
    grow(ChunkId.SIZE + 16);
  }

  public synchronized void added(FileVersion v) {
    if (lastAdded != null && PathOrder.compare(lastAdded, v.path()) >= 0) {
      throw new IllegalStateException("index versions out of order: " + v.path() + " after " + lastAdded);
    }
    lastAdded = v.path();
    added.add(v);
    grow(v.path().length() + 40 + (v.target() == null ? 0 : v.target().length()) + ChunkId.SIZE * v.chunks().size()
        + v.xattrBytes());
  }

  public synchronized void ended(String path) {
    if (lastEnded != null && PathOrder.compare(lastEnded, path) >= 0) {
      throw new IllegalStateException("ended paths out of order: " + path + " after " + lastEnded);
    }
    lastEnded = path;
    ended.add(path);
    grow(path.length() + 3);
  }

  private void grow(int n) {
    bytes += n;
    if (bytes >= partBytes) {
      flush();
    }
  }

  private void flush() {
    IndexSegment part = new IndexSegment(jobId, previousJobId, new ArrayList<>(blocks.values()), blobs, added, ended);
    refs.add(sink.write(partName(base, extension, refs.size()), part.encode()));
    blocks.clear();
    blobs.clear();
    added.clear();
    ended.clear();
    bytes = 0;
  }

  /** Writes the last part (an empty index still gets one) and returns every part's reference. */
  public synchronized List<IndexRef> finish() {
    if (!finished) {
      if (bytes > 0 || refs.isEmpty()) {
        flush();
      }
      finished = true;
    }
    return List.copyOf(refs);
  }

  public synchronized int partsWritten() {
    return refs.size();
  }
}
