package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.FileVersion;

/**
 * One visited entry on its way to the index: what the walk saw, its previous version at each
 * destination (null where it has none) and, once stored, its new version. Created by
 * {@link ScanMerge}, owned by the job's {@link IndexWindow} until it is written to the indexes.
 */
public final class Item {
  final long seq;
  final SourceEntry entry;
  final FileVersion[] prevs;
  FileVersion result; // null: not stored (unreadable, vanished); the previous version stays current
  boolean done;

  Item(SourceEntry entry, FileVersion[] prevs) {
    this(0, entry, prevs);
  }

  Item(long seq, SourceEntry entry, FileVersion[] prevs) {
    this.seq = seq;
    this.entry = entry;
    this.prevs = prevs;
  }

  /** True for a regular file (its content must be read); false for folders and symlinks. */
  public boolean isFile() {
    return entry.kind() == FileVersion.FILE;
  }

  /** The entry's number in its job's walk (1, 2, ...): how a stage message names it ({@link IndexWindow#item}). */
  public long seq() {
    return seq;
  }

  /** The size the walk found (a file's length). */
  public long size() {
    return entry.size();
  }

  public String path() {
    return entry.key();
  }
}
