package au.com.backup247.agent.backup;

import java.util.ServiceLoader;

/**
 * Labelled crash points for crash-safety tests (TEST-MATRIX R1–R4). The code calls {@link #reach}
 * at each point; what happens there is decided by a {@link Hook} found with {@link ServiceLoader}.
 * Only the test build provides one ({@code tests/resources/META-INF/services}; it halts the process
 * as {@code kill -9} would when {@code b247.crashAt} / {@code B247_CRASH_AT} names the point): the
 * packaged agent and CLI carry no hook, so no environment variable can make them stop midway.
 *
 * <p>Labels: before-block-write, after-block-write, before-index, after-index, before-manifest;
 * prune (prune.Pruner): prune-after-blocks, prune-after-index, prune-after-checkpoint,
 * prune-manifest, prune-after-manifests, prune-delete.
 */
public final class CrashPoints {
  /** What a test build does at a crash point. */
  public interface Hook {
    void reach(String label);
  }

  private static final Hook HOOK = ServiceLoader.load(Hook.class, CrashPoints.class.getClassLoader()).findFirst()
      .orElse(null);

  private CrashPoints() {
  }

  /** Whether a test build's hook is present (never in the packaged jar). */
  public static boolean enabled() {
    return HOOK != null;
  }

  public static void reach(String label) {
    if (HOOK != null) {
      HOOK.reach(label);
    }
  }
}
