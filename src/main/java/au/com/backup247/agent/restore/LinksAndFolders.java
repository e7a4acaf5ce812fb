package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.index.RawNames;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * What a restore writes once every file is in place: the symlinks (made last, so no file is ever
 * written below a link the restore made), then the stored metadata of the folders, deepest first
 * (writing into a folder changes its times, and a folder made read-only would refuse its content).
 * One thread; each pass walks the target once with a {@link DirCursor}.
 */
final class LinksAndFolders {
  private final TargetPaths paths;
  private final MetadataWriter meta;
  private final RestoreProgress progress;
  private final JobLog log;
  private final Path target;

  LinksAndFolders(TargetPaths paths, MetadataWriter meta, RestoreProgress progress, JobLog log, Path target) {
    this.paths = paths;
    this.meta = meta;
    this.progress = progress;
    this.log = log;
    this.target = target;
  }

  /** Makes each symlink, replacing what is at its name unless that is a real folder. */
  void symlinks(TargetDir root, List<Pending> links) {
    try (DirCursor c = new DirCursor(root, null)) {
      for (Pending l : links) {
        try {
          symlink(c.moveTo(TargetPaths.folderOf(l.rel()), true), l);
        } catch (IOException e) {
          progress.failed();
          log.error("symlink " + l.version().path() + " was not restored: " + e.getMessage());
        }
      }
    }
  }

  private void symlink(TargetDir d, Pending l) throws IOException {
    Path name = l.rel().getFileName();
    BasicFileAttributes a = d.lstat(name);
    if (a != null) {
      if (a.isDirectory() && !a.isSymbolicLink()) {
        log.error("cannot restore symlink " + l.version().path() + ": a folder is in the way");
        progress.failed();
        return;
      }
      d.deleteFile(name);
    }
    d.symlink(name, RawNames.path(l.version().target()));
    meta.apply(d.entry(name), false, l.version(), l.dest().toString());
    progress.symlinkRestored();
  }

  /** Gives each folder of {@code dirs} its stored metadata, deepest first (sorts {@code dirs}). */
  void folderMetadata(TargetDir root, List<RestoreSelection.Item> dirs) {
    dirs.sort((a, b) -> b.version().path().compareTo(a.version().path())); // deepest first
    try (DirCursor c = new DirCursor(root, null)) {
      for (RestoreSelection.Item d : dirs) {
        Path rel = paths.relative(d.version().path(), d.suffixJob());
        Path dest = target.resolve(rel);
        try {
          TargetDir dir = c.moveTo(rel, false);
          meta.apply(dir.self(), dir.byDescriptor(), d.version(), dest.toString());
        } catch (IOException e) {
          log.warn("cannot set the metadata of folder " + dest + ": " + e.getMessage());
        }
      }
    }
  }
}
