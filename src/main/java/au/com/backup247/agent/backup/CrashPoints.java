package au.com.backup247.agent.backup;

/**
 * Labelled crash points for crash-safety tests: when the system property or environment variable
 * {@code b247.crashAt} / {@code B247_CRASH_AT} equals {@code <label>} (or {@code <label>:<n>} for the
 * n-th time that point is reached), the process halts at once, as {@code kill -9} would.
 * Labels: before-block-write, after-block-write, before-index, after-index, before-manifest; prune
 * (prune.Pruner): prune-after-blocks, prune-after-index, prune-after-checkpoint, prune-manifest,
 * prune-after-manifests, prune-delete.
 */
public final class CrashPoints {
  private static final String SPEC = spec();
  private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> COUNTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private CrashPoints() {
  }

  private static String spec() {
    String s = System.getProperty("b247.crashAt");
    return s != null ? s : System.getenv("B247_CRASH_AT");
  }

  public static void reach(String label) {
    if (SPEC == null) {
      return;
    }
    int n = COUNTS.computeIfAbsent(label, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    if (SPEC.equals(label) || SPEC.equals(label + ":" + n)) {
      Runtime.getRuntime().halt(137);
    }
  }
}
