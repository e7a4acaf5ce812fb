package au.com.backup247.agent.repo.index;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The current versions as of a job, streamed in {@link PathOrder} order by merging a checkpoint with
 * the segments of the jobs after it (FORMAT.md §5): for each path the newest source wins, and an
 * ended path hides older versions. Memory: one decoded part per source.
 */
public final class StateCursor {
  private record Head(String path, FileVersion version, int priority, Iterator<?> source) {
  }

  private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
    int c = PathOrder.compare(a.path, b.path);
    return c != 0 ? c : Integer.compare(b.priority, a.priority);
  });
  private FileVersion peeked;
  private boolean done;

  private StateCursor() {
  }

  /** Sources oldest first: the checkpoint's versions, then each later segment's added and ended. */
  public static StateCursor of(Iterator<FileVersion> checkpoint, List<Iterator<FileVersion>> added,
      List<Iterator<String>> ended) {
    StateCursor c = new StateCursor();
    c.push(checkpoint, 0);
    for (int i = 0; i < added.size(); i++) {
      c.push(added.get(i), 2 * i + 2);
      c.push(ended.get(i), 2 * i + 1);
    }
    return c;
  }

  /** An empty state (first job). */
  public static StateCursor empty() {
    return of(java.util.Collections.emptyIterator(), List.of(), List.of());
  }

  private void push(Iterator<?> source, int priority) {
    if (source.hasNext()) {
      Object o = source.next();
      if (o instanceof FileVersion v) {
        heads.add(new Head(v.path(), v, priority, source));
      } else {
        heads.add(new Head((String) o, null, priority, source));
      }
    }
  }

  /** The next current version without consuming it; null at the end. */
  public FileVersion peek() {
    while (peeked == null && !done) {
      Head h = heads.poll();
      if (h == null) {
        done = true;
        break;
      }
      List<Head> same = new ArrayList<>();
      while (!heads.isEmpty() && heads.peek().path.equals(h.path)) {
        same.add(heads.poll());
      }
      push(h.source, h.priority);
      for (Head s : same) {
        push(s.source, s.priority);
      }
      peeked = h.version; // null when the newest word on this path is "ended"
    }
    return peeked;
  }

  public FileVersion next() {
    FileVersion v = peek();
    peeked = null;
    return v;
  }

  /**
   * Moves to {@code path}: every current version before it is handed to {@code passed}; returns the
   * version at {@code path}, or null when the state has none.
   */
  public FileVersion advanceTo(String path, Consumer<FileVersion> passed) {
    while (true) {
      FileVersion v = peek();
      if (v == null) {
        return null;
      }
      int c = PathOrder.compare(v.path(), path);
      if (c > 0) {
        return null;
      }
      next();
      if (c == 0) {
        return v;
      }
      passed.accept(v);
    }
  }

  /** Hands every remaining version to {@code passed}. */
  public void drain(Consumer<FileVersion> passed) {
    for (FileVersion v = next(); v != null; v = next()) {
      passed.accept(v);
    }
  }
}
