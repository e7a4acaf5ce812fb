package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a restore removes from the target: the temp files an earlier, interrupted restore left in
 * the folders written into (never a file under a final name), and, when asked, what is under the
 * restored folders but not in the backup (guide ch. 13.2). One thread; every removal goes through
 * folders opened without following links ({@link TargetDir}).
 */
final class TargetCleanup {
  /** The names {@link FileRestorer} gives its temp files. */
  private static final Pattern TEMP = Pattern.compile(Pattern.quote(FileRestorer.TEMP_PREFIX) + "[0-9a-f]{1,16}");

  private final RestoreProgress progress;
  private final JobLog log;
  private final Path target;

  TargetCleanup(RestoreProgress progress, JobLog log, Path target) {
    this.progress = progress;
    this.log = log;
    this.target = target;
  }

  /** Temp files of an earlier, interrupted restore in the folders {@code existing} (relative). */
  void removeLeftoverTemps(TargetDir root, Set<Path> existing) {
    try (DirCursor c = new DirCursor(root, null)) {
      for (Path rel : new TreeSet<>(existing)) {
        try {
          TargetDir d = c.moveTo(rel, false);
          for (Path name : d.names()) {
            BasicFileAttributes a = TEMP.matcher(name.toString()).matches() ? d.lstat(name) : null;
            if (a != null && a.isRegularFile()) {
              d.deleteFile(name);
            }
          }
        } catch (IOException e) {
          log.warn("cannot clean temp files in " + target.resolve(rel) + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Removes what is in the folders {@code roots} (relative) but not in {@code restored} (paths
   * under the target). Without the job's source folders ({@code sourcesUnknown}) into "/", parents
   * ("/home") cannot be told from backed-up folders: nothing is deleted then.
   */
  void deleteUnmatched(TargetDir root, Set<Path> restored, Set<Path> roots, boolean sourcesUnknown) {
    if (sourcesUnknown && target.getParent() == null) {
      log.error("unmatched data was not deleted: the source folders of job are unknown and the target is /");
      return;
    }
    try (DirCursor c = new DirCursor(root, null)) {
      for (Path rel : new TreeSet<>(roots)) {
        try {
          TargetDir d = c.moveTo(rel, false);
          for (Path name : d.names()) {
            if (!restored.contains(target.resolve(rel).resolve(name))) {
              d.deleteTree(name, progress::deletedOne, log::warn);
            }
          }
        } catch (IOException e) {
          log.warn("unmatched data in " + target.resolve(rel) + " was not deleted: " + e.getMessage());
        }
      }
    }
  }
}
