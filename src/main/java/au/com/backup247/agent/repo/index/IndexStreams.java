package au.com.backup247.agent.repo.index;

import au.com.backup247.agent.repo.error.CorruptDataException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the sections of a multi-part index (a job's segment or a checkpoint) one part at a time,
 * so memory holds one decoded part, and checks that versions and ended paths come in
 * {@link PathOrder} order across parts.
 */
public final class IndexStreams {
  /** Loads, verifies and decodes one part. */
  @FunctionalInterface
  public interface Loader {
    IndexSegment load(IndexRef ref);
  }

  private IndexStreams() {
  }

  /** The versions added, in path order. */
  public static Iterator<FileVersion> added(List<IndexRef> refs, Loader loader) {
    return new Sorted<>(new Parts<>(refs, loader, IndexSegment::added), FileVersion::path, refs);
  }

  /** The paths ended, in path order. */
  public static Iterator<String> ended(List<IndexRef> refs, Loader loader) {
    return new Sorted<>(new Parts<>(refs, loader, IndexSegment::ended), s -> s, refs);
  }

  /** Every block and blob, part by part (a part lists the blocks before the blobs it refers to). */
  public static void forEachBlockAndBlob(List<IndexRef> refs, Loader loader, Consumer<IndexSegment.Block> blocks,
      Consumer<IndexSegment.Blob> blobs) {
    for (IndexRef ref : refs) {
      IndexSegment seg = loader.load(ref);
      seg.blocks().forEach(blocks);
      seg.blobs().forEach(blobs);
    }
  }

  private static final class Parts<T> implements Iterator<T> {
    private final List<IndexRef> refs;
    private final Loader loader;
    private final Function<IndexSegment, List<T>> section;
    private int next;
    private Iterator<T> current = java.util.Collections.emptyIterator();

    Parts(List<IndexRef> refs, Loader loader, Function<IndexSegment, List<T>> section) {
      this.refs = refs;
      this.loader = loader;
      this.section = section;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (next >= refs.size()) {
          return false;
        }
        current = section.apply(loader.load(refs.get(next++))).iterator();
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }

  private static final class Sorted<T> implements Iterator<T> {
    private final Iterator<T> in;
    private final Function<T, String> key;
    private final List<IndexRef> refs;
    private String last;

    Sorted(Iterator<T> in, Function<T, String> key, List<IndexRef> refs) {
      this.in = in;
      this.key = key;
      this.refs = refs;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public T next() {
      T t = in.next();
      String k = key.apply(t);
      if (last != null && PathOrder.compare(last, k) >= 0) {
        throw new CorruptDataException("index " + (refs.isEmpty() ? "?" : refs.get(0).name())
            + " lists paths out of order (" + k + " after " + last + ")");
      }
      last = k;
      return t;
    }
  }
}
