package au.com.backup247.agent.sets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum with a fixed JSON label ("starts-with"), parsed ignoring case. The label is the constant's
 * name in lower case with '-' for '_' ({@code STARTS_WITH}: "starts-with"); settings files and the
 * API depend on it, so a constant whose name changes overrides {@link #label} with its old label.
 */
public interface Labeled {
  /** The constant's name ({@link Enum#name}). */
  String name();

  /** The label written to JSON. */
  default String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant with this label (case-insensitive, blanks around ignored), or null. */
  static <E extends Enum<E> & Labeled> E parse(E[] values, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (E e : values) {
      if (e.label().toLowerCase(Locale.ROOT).equals(t)) {
        return e;
      }
    }
    return null;
  }

  /** "a, b or c". */
  static <E extends Enum<E> & Labeled> String allowed(E[] values) {
    String all = Arrays.stream(values).map(Labeled::label).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
