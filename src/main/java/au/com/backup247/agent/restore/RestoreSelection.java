package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.index.FileVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * What a restore writes: the entries the requested paths select (every stored path when none is
 * requested), as of the job restored or in every version kept, and which stored folders get their
 * metadata or may lose unmatched data. Pure: no file is touched here.
 *
 * <p>A requested path selects itself, everything below it and the folders on the way to it (so
 * they are made); unmatched data is deleted only inside the selection itself. A folder that is a
 * strict ancestor of the job's source folders ("/", "/home") was backed up only as a parent: it is
 * made, never given stored metadata.
 */
final class RestoreSelection {
  /** An entry to restore: its version and, for an older version restored beside the current one, its first job. */
  record Item(FileVersion version, String suffixJob) {
  }

  private final List<String> includes;
  private final List<String> sourceRoots;

  /**
   * A selection of {@code includes} (null or empty: everything) from a job whose source roots are
   * {@code sourceRoots} (empty when unknown).
   */
  RestoreSelection(List<String> includes, List<String> sourceRoots) {
    this.includes = includes == null ? List.of() : includes;
    this.sourceRoots = sourceRoots;
  }

  /** True when the source folders of the job are unknown (then parents cannot be told from them). */
  boolean sourcesUnknown() {
    return sourceRoots.isEmpty();
  }

  /**
   * The entries to restore from {@code h}: the current versions, or with {@code allVersions} every
   * version kept (of the paths {@code onlyVersions} names, only those added by the jobs it gives),
   * older ones named after their first job.
   */
  List<Item> items(History h, boolean allVersions, Map<String, Set<String>> onlyVersions) {
    List<Item> items = new ArrayList<>();
    if (allVersions) {
      for (History.Span s : h.spans()) {
        Set<String> versions = onlyVersions.get(s.version().path());
        if (selected(s.version().path()) && (versions == null || versions.contains(s.firstJob()))) {
          items.add(new Item(s.version(), s.endJob() == null ? null : s.firstJob()));
        }
      }
    } else {
      for (FileVersion v : h.current().values()) {
        if (selected(v.path())) {
          items.add(new Item(v, null));
        }
      }
    }
    return items;
  }

  /** Selected: the path is requested, below one requested, or a folder on the way to one. */
  boolean selected(String path) {
    if (includes.isEmpty()) {
      return true;
    }
    for (String inc : includes) {
      String i = trimmed(inc);
      if (path.equals(i) || path.startsWith(i + "/") || i.equals("/") || i.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Inside the selection itself (not just on the way to it): where unmatched data may be deleted. */
  boolean within(String path) {
    if (includes.isEmpty()) {
      return true;
    }
    for (String inc : includes) {
      if (under(path, trimmed(inc))) {
        return true;
      }
    }
    return false;
  }

  /** True for a stored folder that is a strict ancestor of every source root it leads to (backed up as a parent). */
  boolean parentOfSource(String path) {
    boolean ancestor = false;
    for (String root : sourceRoots) {
      if (path.equals(root) || root.equals("/") || path.startsWith(root + "/")) {
        return false;
      }
      if (path.equals("/") || root.startsWith(path + "/")) {
        ancestor = true;
      }
    }
    return ancestor;
  }

  /** See {@link RestoreEngine#unmatched}. */
  static List<String> unmatched(History h, boolean allVersions, List<String> includes) {
    List<String> out = new ArrayList<>();
    for (String inc : includes == null ? List.<String>of() : includes) {
      String i = trimmed(inc);
      if (!matches(h.current(), i) && !(allVersions && h.spans().stream().anyMatch(s -> under(s.version().path(), i)))) {
        out.add(inc);
      }
    }
    return out;
  }

  /** See {@link RestoreEngine#nothingMatches}. */
  static String nothingMatches(List<String> unmatched, String jobId) {
    return (unmatched.size() == 1 ? "path " + unmatched.get(0) + " is" : "paths " + String.join(", ", unmatched)
        + " are") + " not in the backup as of job " + jobId + ": nothing was restored (see the stored paths with "
        + "browse or search; paths are absolute, as backed up)";
  }

  private static boolean matches(NavigableMap<String, FileVersion> current, String i) {
    if (i.equals("/")) {
      return !current.isEmpty();
    }
    if (current.containsKey(i)) {
      return true;
    }
    String below = current.higherKey(i + "/");
    return below != null && below.startsWith(i + "/");
  }

  private static boolean under(String path, String i) {
    return i.equals("/") || path.equals(i) || path.startsWith(i + "/");
  }

  /** A requested path without its trailing "/" (but "/" itself). */
  private static String trimmed(String inc) {
    return inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
  }
}
