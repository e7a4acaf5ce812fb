package au.com.backup247.agent.destination;

import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The "Test" button (guide ch. 9.5): connects (a stat of the repository's {@code config}, which
 * also tells whether a repository is there, and keeps the connection's time out of the put's),
 * writes a probe object under {@code probe/} with a random name,
 * reads it back and compares, lists {@code probe/} and finds it with its size, deletes it and checks
 * that it is gone. Every step is timed; the first failure ends the test (after a best-effort delete
 * of the probe) and says which step failed, why, and whether the error is permanent or transient.
 * Use it on a store without retries ({@link Destinations#openBare}) so a failure shows as it
 * happened.
 */
public final class Probe {
  /** Where probe objects go. */
  public static final String FOLDER = "probe/";
  private static final String CONFIG = "config";

  /**
   * One step of the test.
   *
   * @param name connect, put, get, list or delete
   * @param ok whether it worked
   * @param nanos how long it took
   * @param detail what was done, or why it failed (one line)
   * @param kind for a failure: permanent or transient; null when ok
   */
  public record Step(String name, boolean ok, long nanos, String detail, StoreException.Kind kind) {
    /** Latency in milliseconds. */
    public double millis() {
      return nanos / 1e6;
    }
  }

  /**
   * The outcome.
   *
   * @param destination the store's name
   * @param object the probe's path
   * @param steps the steps run, in order; only the last can have failed
   * @param leftOver a note when a failed test could not delete its probe, else null
   */
  public record Report(String destination, String object, List<Step> steps, String leftOver) {
    public Report {
      steps = List.copyOf(steps);
    }

    public boolean ok() {
      return steps.stream().allMatch(Step::ok);
    }

    /** The step that failed, if any. */
    public Optional<Step> failed() {
      return steps.stream().filter(s -> !s.ok()).findFirst();
    }
  }

  private Probe() {
  }

  /** Runs the test with a probe of {@code size} random bytes. */
  public static Report run(Store store, int size, Random random) {
    Objects.requireNonNull(store, "store");
    if (size < 1) {
      throw new IllegalArgumentException("probe size must be at least 1 byte");
    }
    byte[] name = new byte[12];
    random.nextBytes(name);
    String path = FOLDER + HexFormat.of().formatHex(name) + ".probe";
    byte[] data = new byte[size];
    random.nextBytes(data);
    List<Step> steps = new ArrayList<>();

    Step connect = step("connect", () -> store.stat(CONFIG)
        .map(o -> "a repository is here (config, " + o.size() + " bytes)").orElse("no repository here yet"));
    steps.add(connect);
    if (!connect.ok()) {
      return new Report(store.name(), path, steps, null);
    }
    Step put = step("put", () -> {
      store.put(path, data);
      return path + " (" + size + " bytes)";
    });
    steps.add(put);
    if (!put.ok()) {
      return new Report(store.name(), path, steps, null); // puts are atomic: nothing to clean up
    }
    Step get = step("get", () -> {
      byte[] back = store.get(path);
      if (!Arrays.equals(back, data)) {
        throw StoreException.permanent("read back " + back.length + " bytes that differ from the " + size
            + " bytes written" + (back.length == size ? " (" + firstDifference(back, data) + ")" : ""));
      }
      return size + " bytes, identical";
    });
    steps.add(get);
    if (!get.ok()) {
      return new Report(store.name(), path, steps, cleanUp(store, path));
    }
    Step list = step("list", () -> {
      List<Store.StoredObject> listed = store.list(FOLDER);
      for (Store.StoredObject o : listed) {
        if (o.path().equals(path)) {
          if (o.size() != size) {
            throw StoreException.permanent("listed " + path + " with " + o.size() + " bytes instead of " + size);
          }
          return listed.size() + " object(s) under " + FOLDER + ", the probe with its size";
        }
      }
      throw StoreException.permanent("the probe is missing from the listing of " + FOLDER + " (" + listed.size()
          + " object(s) listed)");
    });
    steps.add(list);
    if (!list.ok()) {
      return new Report(store.name(), path, steps, cleanUp(store, path));
    }
    Step delete = step("delete", () -> {
      store.delete(path);
      if (store.stat(path).isPresent()) {
        throw StoreException.permanent("the probe is still there after delete");
      }
      return "gone";
    });
    steps.add(delete);
    return new Report(store.name(), path, steps, null);
  }

  private interface Action {
    String run();
  }

  private static Step step(String name, Action action) {
    long t0 = System.nanoTime();
    try {
      String detail = action.run();
      return new Step(name, true, System.nanoTime() - t0, detail, null);
    } catch (StoreException e) {
      return new Step(name, false, System.nanoTime() - t0, message(e), e.kind());
    } catch (RuntimeException e) {
      return new Step(name, false, System.nanoTime() - t0, message(e), StoreException.Kind.PERMANENT);
    }
  }

  private static String message(RuntimeException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  private static String firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return "first difference at byte " + i;
      }
    }
    return "no difference";
  }

  /** Best effort after a failure; a note when the probe may have stayed behind. */
  private static String cleanUp(Store store, String path) {
    try {
      store.delete(path);
      return null;
    } catch (RuntimeException e) {
      return "the probe " + path + " may be left at " + store.name() + " (delete failed: " + message(e) + ")";
    }
  }
}
