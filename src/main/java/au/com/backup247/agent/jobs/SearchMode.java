package au.com.backup247.agent.jobs;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How a search compares names with its pattern (guide ch. 13.3 "Restore Filter"), plus
 * {@code glob}: the whole name against a pattern where {@code *} is any run of characters and
 * {@code ?} one character. A {@code contains} pattern with {@code *} or {@code ?} is a glob (no
 * name search would want the literal characters there more often than the wildcards); the other
 * modes take them literally.
 */
enum SearchMode {
  CONTAINS("contains"), EXACT("exact"), STARTS_WITH("starts-with"), ENDS_WITH("ends-with"), GLOB("glob");

  final String label;

  SearchMode(String label) {
    this.label = label;
  }

  static SearchMode of(String label, String pattern) {
    SearchMode m = Arrays.stream(values()).filter(x -> x.label.equals(label)).findFirst().orElseThrow();
    return m == CONTAINS && (pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0) ? GLOB : m;
  }

  /** The test of one name ({@code pattern} already lower-cased when the search ignores case). */
  Predicate<String> matcher(String pattern) {
    return switch (this) {
      case CONTAINS -> name -> name.contains(pattern);
      case EXACT -> name -> name.equals(pattern);
      case STARTS_WITH -> name -> name.startsWith(pattern);
      case ENDS_WITH -> name -> name.endsWith(pattern);
      case GLOB -> glob(pattern).asMatchPredicate();
    };
  }

  /** {@code *} any run of characters, {@code ?} one character, everything else literally. */
  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        re.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    return Pattern.compile(re.append(Pattern.quote(literal.toString())).toString(),
        Pattern.DOTALL);
  }
}
