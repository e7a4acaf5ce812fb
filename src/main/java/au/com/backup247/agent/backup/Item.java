package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.FileVersion;

/**
 * One visited entry on its way to the index: what the walk saw, its previous version at each
 * destination (null where it has none) and, once stored, its new version. Created by
 * {@link ScanMerge}, owned by the job's {@link IndexWindow} until it is written to the indexes.
 */
public final class Item {
  final SourceEntry entry;
  final FileVersion[] prevs;
  FileVersion result; // null: not stored (unreadable, vanished); the previous version stays current
  boolean done;

  Item(SourceEntry entry, FileVersion[] prevs) {
    this.entry = entry;
    this.prevs = prevs;
  }

  /** True for a regular file (its content must be read); false for folders and symlinks. */
  public boolean isFile() {
    return entry.kind() == FileVersion.FILE;
  }

  public String path() {
    return entry.key();
  }
}
