package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.RawNames;
import java.nio.file.Path;

/**
 * Where a stored path goes under the target: re-rooted below it and checked component by
 * component, so nothing in a repository (even a tampered one, TEST-MATRIX S2) names a place outside
 * the target; older versions restored next to the current one get their job in their name.
 */
final class TargetPaths {
  private final Path target;

  /** Paths under {@code target} (absolute and normalized). */
  TargetPaths(Path target) {
    this.target = target;
  }

  /**
   * The path relative to the target for a stored path, refusing anything that could escape it: a NUL,
   * an empty component (but a leading or trailing "/"), ".", ".." or a backslash. With {@code
   * suffixJob}, the last name gets that job (see {@link #withSuffix}). Built as one string and parsed
   * once (a restore computes it for every entry before the first file is written).
   */
  Path relative(String stored, String suffixJob) {
    if (stored.indexOf('\0') >= 0) {
      throw new RepoException("refused stored path with a NUL byte: " + stored.replace('\0', '?'));
    }
    String[] parts = stored.split("/");
    StringBuilder rel = new StringBuilder(stored.length() + (suffixJob == null ? 0 : 24));
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        if (i == 0) {
          continue;
        }
        throw new RepoException("refused stored path with an empty component: " + stored);
      }
      if (part.equals(".") || part.equals("..") || part.indexOf('\\') >= 0) {
        throw new RepoException("refused stored path that could leave the target: " + stored);
      }
      if (rel.length() > 0) {
        rel.append('/');
      }
      rel.append(i == parts.length - 1 && suffixJob != null ? withSuffix(part, suffixJob) : part);
    }
    Path p = rel.length() == 0 ? Path.of("") : RawNames.path(rel.toString());
    if (p.isAbsolute() || !target.resolve(p).normalize().startsWith(target)) {
      throw new RepoException("refused stored path outside the target: " + stored);
    }
    return p;
  }

  /** Older versions get the job's time in their name, before the extension: report.2026-11-26-08-00-00.txt. */
  static String withSuffix(String name, String jobId) {
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      return name.substring(0, dot) + "." + jobId + name.substring(dot);
    }
    return name + "." + jobId;
  }

  /** The folder of {@code rel} (relative to the target; the target itself is the empty path). */
  static Path folderOf(Path rel) {
    Path parent = rel.getParent();
    return parent == null ? Path.of("") : parent;
  }
}
