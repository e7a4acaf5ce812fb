package au.com.backup247.agent.backup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test build's crash hook (registered in {@code META-INF/services}): when the system property
 * {@code b247.crashAt} or the environment variable {@code B247_CRASH_AT} is {@code <label>} or
 * {@code <label>:<n>} (the n-th time that point is reached), the process halts at once, as
 * {@code kill -9} would. Child JVMs get it by running with the test classes on their class path.
 */
public final class TestCrashHook implements CrashPoints.Hook {
  private static final String SPEC = spec();
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  private static String spec() {
    String s = System.getProperty("b247.crashAt");
    return s != null ? s : System.getenv("B247_CRASH_AT");
  }

  @Override
  public void reach(String label) {
    if (SPEC == null) {
      return;
    }
    int n = counts.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
    if (SPEC.equals(label) || SPEC.equals(label + ":" + n)) {
      Runtime.getRuntime().halt(137);
    }
  }
}
