package au.com.backup247.agent.repo.index;

import java.util.Comparator;

/**
 * The order of paths in index segments and checkpoints (FORMAT.md §5): strings compared char by
 * char, with '/' below every other char. It is the order of a depth-first walk that visits each
 * folder's entries sorted by name ({@link String#compareTo}), so "/a", "/a/z", "/a.b" follow each
 * other — a backup can merge its walk with the previous state in one pass.
 */
public final class PathOrder {
  public static final Comparator<String> COMPARATOR = PathOrder::compare;

  private PathOrder() {
  }

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x == '/') {
          return -1;
        }
        if (y == '/') {
          return 1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
