package au.com.backup247.agent.sets;

import au.com.backup247.agent.backup.Filter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One backup filter of a set's source (guide ch. 9.5 "Filter"): for the matched files and/or
 * folders under {@code top} (or everywhere when null), include or exclude them; with
 * {@code excludeAllUnmatched} (include only) everything else under {@code top} is excluded.
 *
 * @param name the filter's name, unique within the set
 * @param action include or exclude the matched entries
 * @param excludeAllUnmatched also exclude what no pattern matches (only with INCLUDE)
 * @param match how names are compared with the patterns (case-sensitive)
 * @param patterns one or more patterns; regular expressions for REGEX (whole name)
 * @param apply files, folders or both
 * @param top the folder the filter applies to, or null for all files and folders
 */
public record SourceFilter(String name, Action action, boolean excludeAllUnmatched, Match match,
    List<String> patterns, Apply apply, Path top) {

  /** What the filter does with matched entries. */
  public enum Action implements Labeled {
    INCLUDE, EXCLUDE
  }

  /** How names are matched (mirrors {@link Filter.Match}). */
  public enum Match implements Labeled {
    CONTAINS, STARTS_WITH, ENDS_WITH, EXACT, REGEX
  }

  /** Which entries the filter looks at. */
  public enum Apply implements Labeled {
    FILES, FOLDERS, BOTH
  }

  public SourceFilter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(apply, "apply");
    patterns = List.copyOf(patterns);
  }

  /** The backup engine's form of this filter. */
  public Filter toFilter() {
    Filter.Action a = action == Action.EXCLUDE ? Filter.Action.EXCLUDE
        : excludeAllUnmatched ? Filter.Action.INCLUDE_ONLY : Filter.Action.INCLUDE;
    Filter.Match m = Filter.Match.valueOf(match.name());
    List<Pattern> regexes = match == Match.REGEX ? patterns.stream().map(Pattern::compile).toList() : null;
    return new Filter(a, m, patterns, apply != Apply.FOLDERS, apply != Apply.FILES, top, regexes);
  }
}
