package au.com.backup247.agent.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A backup source filter (guide ch. 10 "Filter"): for the files and/or folders under a top folder
 * (or everywhere), include or exclude those whose name matches one of the patterns, optionally
 * excluding everything unmatched. Names are compared case-sensitively.
 *
 * <p>CLI form: {@code ACTION:MATCH:PATTERN[,PATTERN...][:APPLY[:TOP]]} where ACTION is
 * {@code include}, {@code exclude} or {@code include-only} (include, and exclude all unmatched),
 * MATCH is {@code contains}, {@code starts-with}, {@code ends-with}, {@code exact} or {@code regex}
 * (UNIX-style regular expression on the whole name), APPLY is {@code files}, {@code folders} or
 * {@code both} (default), and TOP an absolute folder (default: everywhere).
 */
public record Filter(Action action, Match match, List<String> patterns, boolean files, boolean folders, Path top,
    List<Pattern> regexes) {

  /** What a filter does with matching entries. */
  public enum Action { INCLUDE, EXCLUDE, INCLUDE_ONLY }

  /**
   * How names are compared with the patterns. {@code PATH} compares the entry's whole absolute
   * path instead of its name (a set's excluded paths, {@link #excludePath}); it has no CLI form.
   */
  public enum Match { CONTAINS, STARTS_WITH, ENDS_WITH, EXACT, REGEX, PATH }

  /** The decision of one filter for one entry. */
  public enum Decision { INCLUDE, EXCLUDE, NONE }

  public Filter {
    patterns = List.copyOf(patterns);
    regexes = regexes == null ? List.of() : List.copyOf(regexes);
  }

  public static Filter parse(String spec) {
    String[] parts = spec.split(":", 5);
    if (parts.length < 3) {
      throw new IllegalArgumentException("filter \"" + spec + "\" must be ACTION:MATCH:PATTERNS[:APPLY[:TOP]]");
    }
    Action action = switch (parts[0]) {
      case "include" -> Action.INCLUDE;
      case "exclude" -> Action.EXCLUDE;
      case "include-only" -> Action.INCLUDE_ONLY;
      default -> throw new IllegalArgumentException("filter \"" + spec + "\": action must be include, exclude or "
          + "include-only, got \"" + parts[0] + "\"");
    };
    Match match = switch (parts[1]) {
      case "contains" -> Match.CONTAINS;
      case "starts-with" -> Match.STARTS_WITH;
      case "ends-with" -> Match.ENDS_WITH;
      case "exact" -> Match.EXACT;
      case "regex" -> Match.REGEX;
      default -> throw new IllegalArgumentException("filter \"" + spec + "\": match must be contains, starts-with, "
          + "ends-with, exact or regex, got \"" + parts[1] + "\"");
    };
    List<String> patterns = List.of(parts[2].split(","));
    if (patterns.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("filter \"" + spec + "\": empty pattern");
    }
    String apply = parts.length > 3 ? parts[3] : "both";
    boolean files = apply.equals("files") || apply.equals("both");
    boolean folders = apply.equals("folders") || apply.equals("both");
    if (!files && !folders) {
      throw new IllegalArgumentException("filter \"" + spec + "\": apply must be files, folders or both, got \""
          + apply + "\"");
    }
    Path top = null;
    if (parts.length > 4) {
      top = Path.of(parts[4]);
      if (!top.isAbsolute()) {
        throw new IllegalArgumentException("filter \"" + spec + "\": the top folder must be absolute");
      }
      top = top.normalize();
    }
    List<Pattern> regexes = null;
    if (match == Match.REGEX) {
      try {
        regexes = patterns.stream().map(Pattern::compile).toList();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("filter \"" + spec + "\": bad regular expression: " + e.getDescription());
      }
    }
    return new Filter(action, match, patterns, files, folders, top, regexes);
  }

  /**
   * A filter that excludes exactly the entry at {@code path} (with everything below it when it is
   * a folder): a backup set's "excluded paths" (guide ch. 9.5 "Source", advanced selection).
   */
  public static Filter excludePath(Path path) {
    return new Filter(Action.EXCLUDE, Match.PATH, List.of(path.toAbsolutePath().normalize().toString()), true, true,
        null, null);
  }

  /** This filter's decision for the entry at {@code path} (a folder when {@code folder}). */
  public Decision decide(Path path, boolean folder) {
    if (folder ? !folders : !files) {
      return Decision.NONE;
    }
    if (match == Match.PATH) {
      return patterns.contains(path.toString()) ? (action == Action.EXCLUDE ? Decision.EXCLUDE : Decision.INCLUDE)
          : Decision.NONE;
    }
    if (top != null && (!path.startsWith(top) || path.equals(top))) {
      return Decision.NONE;
    }
    Path fn = path.getFileName();
    String name = fn == null ? "" : fn.toString();
    boolean m = matches(name);
    return switch (action) {
      case INCLUDE -> m ? Decision.INCLUDE : Decision.NONE;
      case EXCLUDE -> m ? Decision.EXCLUDE : Decision.NONE;
      case INCLUDE_ONLY -> m ? Decision.INCLUDE : Decision.EXCLUDE;
    };
  }

  boolean matches(String name) {
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      boolean hit = switch (match) {
        case CONTAINS -> name.contains(p);
        case STARTS_WITH -> name.startsWith(p);
        case ENDS_WITH -> name.endsWith(p);
        case EXACT -> name.equals(p);
        case REGEX -> regexes.get(i).matcher(name).matches();
        case PATH -> false; // decided on the whole path in decide()
      };
      if (hit) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an entry is backed up: the first filter (in order) with a decision decides; without
   * one, the entry is included. An excluded folder is skipped with everything below it.
   */
  public static boolean included(List<Filter> filters, Path path, boolean folder) {
    for (Filter f : filters) {
      Decision d = f.decide(path, folder);
      if (d != Decision.NONE) {
        return d == Decision.INCLUDE;
      }
    }
    return true;
  }
}
