package au.com.backup247.agent.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one backup's pipeline holds between its stages, and the most it ever held: chunks a
 * chunker has handed towards the sealer and the sealer has not packed yet ({@link #blobs}), and sealed
 * blocks not yet written (or failed) at every destination ({@link #blocks}, their valid length). The
 * block being filled and the chunkers' read buffers are fixed costs and not counted. Updated from the
 * stages' threads; {@link #peak} is the high-water mark of {@link #now}, taken at every change.
 */
final class HeldBytes {
  private final AtomicLong blobs = new AtomicLong();
  private final AtomicLong blocks = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();

  void blobs(long delta) {
    mark(blobs.addAndGet(delta) + blocks.get());
  }

  void blocks(long delta) {
    mark(blocks.addAndGet(delta) + blobs.get());
  }

  private void mark(long total) {
    peak.accumulateAndGet(total, Math::max);
  }

  /** Bytes held now. */
  long now() {
    return blobs.get() + blocks.get();
  }

  /** The most held at once so far. */
  long peak() {
    return peak.get();
  }
}
