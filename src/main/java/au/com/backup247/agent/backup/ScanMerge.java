package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.RawNames;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;

/**
 * The scan stage: walks the sources ({@link ScanPrefetch} over {@link TreeScan}) merged with each
 * destination's previous state, in walk order. Unchanged entries are counted and carried forward
 * without being read; the others become {@link Item}s in the job's {@link IndexWindow}. Stores
 * folders and symlinks itself (nothing to read). Owns the walk; call from one thread.
 */
public final class ScanMerge {
  private final BackupJob job;
  private final SourceWalk source;
  private ScanPrefetch walk;
  private volatile String currentPath;
  private long seq;

  ScanMerge(BackupJob job, SourceWalk source) {
    this.job = job;
    this.source = source;
  }

  /**
   * Starts the walk in the background, unless it was started before the job (it overlaps with
   * reading the destinations' indexes).
   */
  void start() {
    walk = source.started();
  }

  /** Stops the walk; idempotent. */
  void close() {
    source.close();
  }

  /**
   * The next entry that must be stored (new, or changed at some destination), or null when the walk
   * is over or the job cancelled. The item is already in the index window: the caller must pass it
   * to {@link IndexWindow#completed} exactly once.
   */
  public Item next() {
    List<DestinationJob> dests = job.destinations();
    while (true) {
      if (job.cancelled()) {
        return null;
      }
      SourceEntry e = walk.next();
      if (e == null) {
        return null;
      }
      FileVersion[] prevs = new FileVersion[dests.size()];
      for (int i = 0; i < prevs.length; i++) {
        prevs[i] = dests.get(i).advanceTo(e.key());
      }
      if (unchangedEverywhere(e, prevs) != null) {
        JobStats stats = job.stats();
        stats.filesUnchanged.incrementAndGet();
        stats.entriesDone.incrementAndGet();
        stats.bytesDone.addAndGet(e.size());
        continue;
      }
      Item it = new Item(++seq, e, prevs);
      currentPath = e.key();
      job.window().add(it);
      return it;
    }
  }

  /** The last path the walk handed out for storing (for progress reports), or null. */
  String currentPath() {
    return currentPath;
  }

  /** Stores a folder or symlink entry (no content to read); returns its version or null when skipped. */
  public FileVersion storeEntry(Item it) {
    SourceEntry e = it.entry;
    String target = "";
    if (e.kind() == FileVersion.SYMLINK) {
      try {
        target = RawNames.of(Files.readSymbolicLink(e.path()));
      } catch (IOException ex) {
        job.log().warn("cannot read symlink " + e.path() + ": " + ex.getMessage() + "; skipped");
        return null;
      }
    }
    FileVersion v = new FileVersion(e.key(), e.kind(), 0, e.mode(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), target,
        List.of(), e.uid(), e.gid(), e.xattrs());
    job.packer().record(v);
    return v;
  }

  /** The previous version when every destination has it with the same metadata; null otherwise. */
  private FileVersion unchangedEverywhere(SourceEntry e, FileVersion[] prevs) {
    List<DestinationJob> dests = job.destinations();
    FileVersion first = null;
    for (int i = 0; i < prevs.length; i++) {
      if (dests.get(i).error != null) {
        continue;
      }
      FileVersion prev = prevs[i];
      if (prev == null || !prev.sameAs(e.size(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), e.kind())
          || prev.mode() != e.mode()
          || (first != null && (!first.chunks().equals(prev.chunks()) || !Objects.equals(first.target(), prev.target())))) {
        return null;
      }
      for (ChunkId c : prev.chunks()) {
        if (!job.known().contains(c)) {
          return null; // its data is gone from a destination: read the file again
        }
      }
      first = prev;
    }
    if (first != null && e.kind() == FileVersion.SYMLINK) {
      try {
        if (!RawNames.of(Files.readSymbolicLink(e.path())).equals(String.valueOf(first.target()))) {
          return null;
        }
      } catch (IOException ex) {
        return null;
      }
    }
    return first;
  }
}
