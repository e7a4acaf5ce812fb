package au.com.backup247.agent.sets;

import au.com.backup247.agent.backup.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a backup set backs up (guide ch. 9.5 "Source"): quick shortcuts of the user's home,
 * individually selected files and folders ("advanced backup source"), entries taken out of that
 * selection, and filters — all usable together.
 *
 * @param home the user's home that shortcuts resolve against
 * @param shortcuts selected shortcuts
 * @param paths selected absolute files and folders
 * @param excludedPaths absolute entries below a selected folder that are left out, with everything below them
 * @param filters applied in order; the first with a decision decides ({@link Filter#included})
 */
public record Source(Path home, List<Shortcut> shortcuts, List<Path> paths, List<Path> excludedPaths,
    List<SourceFilter> filters) {

  public Source {
    Objects.requireNonNull(home, "home");
    shortcuts = List.copyOf(shortcuts);
    paths = List.copyOf(paths);
    excludedPaths = List.copyOf(excludedPaths);
    filters = List.copyOf(filters);
  }

  /** Shortcuts resolved against {@link #home}, then the selected paths; no duplicates, in that order. */
  public List<Path> selectedPaths() {
    Set<Path> out = new LinkedHashSet<>();
    shortcuts.forEach(s -> out.add(s.resolve(home)));
    out.addAll(paths);
    return List.copyOf(out);
  }

  /**
   * What the backup engine applies, in order: the excluded paths first (an excluded entry is left
   * out whatever a filter says), then the filters. The first with a decision decides.
   */
  public List<Filter> backupFilters() {
    List<Filter> out = new ArrayList<>();
    excludedPaths.forEach(p -> out.add(Filter.excludePath(p)));
    filters.forEach(f -> out.add(f.toFilter()));
    return List.copyOf(out);
  }
}
