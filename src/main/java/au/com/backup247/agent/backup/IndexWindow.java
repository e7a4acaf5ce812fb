package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.FileVersion;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The index stage: the entries scanned and not yet written to the destinations' indexes, in walk
 * order (at most {@link #CAPACITY}). Files finish out of order (several chunkers); each finished
 * entry at the head of the window goes to every live destination's index segment, so the index
 * stays in walk order. Owns the window; thread-safe (synchronized).
 */
public final class IndexWindow {
  /** Entries visited but not yet written to the index (in walk order) at most. */
  public static final int CAPACITY = 4096;

  private final BackupJob job;
  private final ArrayDeque<Item> window = new ArrayDeque<>();
  private final Map<Long, Item> bySeq = new HashMap<>();

  IndexWindow(BackupJob job) {
    this.job = job;
  }

  synchronized void add(Item it) {
    window.addLast(it);
    bySeq.put(it.seq, it);
  }

  /** The entry numbered {@code seq} that is still in the window; fails when there is none. */
  public synchronized Item item(long seq) {
    Item it = bySeq.get(seq);
    if (it == null) {
      throw new IllegalStateException("entry " + seq + " is not in the job's index window");
    }
    return it;
  }

  /** Items scanned and not yet written to the index. */
  public synchronized int size() {
    return window.size();
  }

  /**
   * Records the result of an item (null: skipped) and writes every finished item at the head of the
   * window to each destination's index, in walk order. Returns how many items left the window.
   */
  public synchronized int completed(Item it, FileVersion result) {
    JobStats stats = job.stats();
    List<DestinationJob> dests = job.destinations();
    int moved = 0;
    it.result = result;
    it.done = true;
    while (!window.isEmpty() && window.peekFirst().done) {
      stats.entriesDone.incrementAndGet();
      Item s = window.pollFirst();
      bySeq.remove(s.seq);
      moved++;
      if (s.result == null) {
        continue;
      }
      boolean counted = false;
      for (int i = 0; i < dests.size(); i++) {
        DestinationJob d = dests.get(i);
        if (d.error == null && d.added(s.result, s.prevs[i]) && !counted) {
          (s.prevs[i] == null ? stats.filesNew : stats.filesChanged).incrementAndGet();
          counted = true;
        }
      }
    }
    return moved;
  }
}
