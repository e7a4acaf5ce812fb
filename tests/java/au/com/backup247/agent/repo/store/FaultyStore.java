package au.com.backup247.agent.repo.store;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects faults into a store, deterministically from a seed, for tests of retries, timeouts and
 * suspicious listings (TEST-MATRIX R10–R12). Faults are chosen per call: first from a script of
 * the operation (consumed in order), then by probability rules in the order they were added. With
 * one thread the sequence of faults is the same for the same seed and calls.
 *
 * <p>Configure before use; the configuration methods return {@code this}:
 * <pre>{@code
 * Store s = new FaultyStore(new MemoryStore(), 42)
 *     .rule(Op.PUT, 0.2, Fault.transientError())
 *     .rule(Op.PUT, 0.1, Fault.dropAfter(1000))
 *     .script(Op.LIST, Fault.emptyListing());
 * }</pre>
 *
 * <p>A dropped connection hands the inner store a stream that fails after N bytes, so the inner
 * store's own abort path runs (it must leave no partial object visible); the caller gets a
 * transient error. A lost response performs the operation and then fails, as when the answer of a
 * server is lost: the caller cannot tell, and must be able to repeat it.
 *
 * <p>Silent damage (guide ch. 11.2, 11.3): a put can be {@linkplain Fault#silentDrop() dropped}
 * (success is reported, nothing is stored), {@linkplain Fault#truncate() truncated} or
 * {@linkplain Fault#corrupt() corrupted} (one byte flipped, at a position drawn from the seed); a
 * get can be truncated or corrupted on its way back, leaving the stored object intact.
 * {@link #script(Op, String, Fault...)} aims faults at paths with a prefix (for example the first
 * two reads of {@code index/} objects), leaving other paths alone.
 */
public final class FaultyStore extends ForwardingStore {

  /** The operation a fault applies to; {@code exists} counts as {@link #STAT}. */
  public enum Op { PUT, GET, LIST, STAT, DELETE }

  /** What to do to one call. */
  public record Fault(Type type, long bytes, Duration delay, double fraction) {
    /** The kinds of faults. */
    public enum Type {
      /** Nothing: the call goes through. */
      NONE,
      /** Fail with a transient error before doing anything. */
      TRANSIENT,
      /** Fail with a permanent error before doing anything. */
      PERMANENT,
      /** Do the operation, then fail with a transient error. */
      LOST_RESPONSE,
      /** Wait, then do the operation. */
      DELAY,
      /** Put only: the connection drops after {@code bytes} bytes of the upload. */
      DROP_CONNECTION,
      /** List only: answer an empty listing. */
      EMPTY_LISTING,
      /** List only: leave out each object with probability {@code fraction} (at least one). */
      PARTIAL_LISTING,
      /** Put only: report success, store nothing. */
      SILENT_DROP,
      /** Put or get: only the first half of the bytes is stored (put) or returned (get), silently. */
      TRUNCATE,
      /** Put or get: one byte is flipped in what is stored (put) or returned (get), silently. */
      CORRUPT
    }

    public static Fault none() {
      return new Fault(Type.NONE, 0, Duration.ZERO, 0);
    }

    public static Fault transientError() {
      return new Fault(Type.TRANSIENT, 0, Duration.ZERO, 0);
    }

    public static Fault permanentError() {
      return new Fault(Type.PERMANENT, 0, Duration.ZERO, 0);
    }

    public static Fault lostResponse() {
      return new Fault(Type.LOST_RESPONSE, 0, Duration.ZERO, 0);
    }

    public static Fault delay(Duration delay) {
      return new Fault(Type.DELAY, 0, delay, 0);
    }

    public static Fault dropAfter(long bytes) {
      return new Fault(Type.DROP_CONNECTION, bytes, Duration.ZERO, 0);
    }

    public static Fault emptyListing() {
      return new Fault(Type.EMPTY_LISTING, 0, Duration.ZERO, 0);
    }

    public static Fault partialListing(double dropFraction) {
      return new Fault(Type.PARTIAL_LISTING, 0, Duration.ZERO, dropFraction);
    }

    public static Fault silentDrop() {
      return new Fault(Type.SILENT_DROP, 0, Duration.ZERO, 0);
    }

    public static Fault truncate() {
      return new Fault(Type.TRUNCATE, 0, Duration.ZERO, 0);
    }

    public static Fault corrupt() {
      return new Fault(Type.CORRUPT, 0, Duration.ZERO, 0);
    }
  }

  /** Faults scripted for the calls of one operation on paths starting with {@code prefix}. */
  private record Aimed(String prefix, Deque<Fault> faults) {
  }

  private record Rule(double probability, Fault fault) {
  }

  private final Random random;
  private final Map<Op, Deque<Fault>> scripts = new EnumMap<>(Op.class);
  private final Map<Op, List<Aimed>> aimed = new EnumMap<>(Op.class);
  private final Map<Op, List<Rule>> rules = new EnumMap<>(Op.class);
  private final Map<Op, AtomicLong> injected = new EnumMap<>(Op.class);
  private volatile Sleeper sleeper = Sleeper.SYSTEM;

  /** Injects nothing until rules or scripts are added. */
  public FaultyStore(Store inner, long seed) {
    super(inner);
    this.random = new Random(seed);
    for (Op op : Op.values()) {
      scripts.put(op, new ArrayDeque<>());
      aimed.put(op, new ArrayList<>());
      rules.put(op, new ArrayList<>());
      injected.put(op, new AtomicLong());
    }
  }

  /** Adds a rule: each call of {@code op} gets {@code fault} with {@code probability}. */
  public synchronized FaultyStore rule(Op op, double probability, Fault fault) {
    check(op, fault);
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability " + probability);
    }
    rules.get(op).add(new Rule(probability, fault));
    return this;
  }

  /** The next calls of {@code op} get these faults, in order, before any rule applies. */
  public synchronized FaultyStore script(Op op, Fault... faults) {
    for (Fault f : faults) {
      check(op, f);
    }
    scripts.get(op).addAll(Arrays.asList(faults));
    return this;
  }

  /**
   * The next calls of {@code op} on a path starting with {@code pathPrefix} (for a listing: its
   * prefix) get these faults, in order, before any other script or rule; other paths are not
   * affected by them.
   */
  public synchronized FaultyStore script(Op op, String pathPrefix, Fault... faults) {
    for (Fault f : faults) {
      check(op, f);
    }
    aimed.get(op).add(new Aimed(pathPrefix, new ArrayDeque<>(Arrays.asList(faults))));
    return this;
  }

  /** Transient errors with {@code probability} on every operation (a flaky network). */
  public FaultyStore transientEverywhere(double probability) {
    for (Op op : Op.values()) {
      rule(op, probability, Fault.transientError());
    }
    return this;
  }

  /** Waits of {@link Fault.Type#DELAY} faults go to {@code sleeper} (default: real sleep). */
  public FaultyStore sleeper(Sleeper sleeper) {
    this.sleeper = sleeper;
    return this;
  }

  /** Removes all rules and pending scripted faults. */
  public synchronized FaultyStore clear() {
    scripts.values().forEach(Deque::clear);
    aimed.values().forEach(List::clear);
    rules.values().forEach(List::clear);
    return this;
  }

  /** How many faults (other than NONE) were injected into {@code op}. */
  public long injected(Op op) {
    return injected.get(op).get();
  }

  /** How many faults were injected in all. */
  public long injected() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private static void check(Op op, Fault f) {
    switch (f.type()) {
      case DROP_CONNECTION -> {
        if (op != Op.PUT) {
          throw new IllegalArgumentException("a dropped connection applies to PUT only");
        }
      }
      case EMPTY_LISTING, PARTIAL_LISTING -> {
        if (op != Op.LIST) {
          throw new IllegalArgumentException(f.type() + " applies to LIST only");
        }
      }
      case SILENT_DROP -> {
        if (op != Op.PUT) {
          throw new IllegalArgumentException("a silent drop applies to PUT only");
        }
      }
      case TRUNCATE, CORRUPT -> {
        if (op != Op.PUT && op != Op.GET) {
          throw new IllegalArgumentException(f.type() + " applies to PUT and GET only");
        }
      }
      default -> {
      }
    }
  }

  private synchronized Fault next(Op op, String path) {
    Fault f = null;
    for (Aimed a : aimed.get(op)) {
      if (path.startsWith(a.prefix()) && !a.faults().isEmpty()) {
        f = a.faults().poll();
        break;
      }
    }
    if (f == null) {
      f = scripts.get(op).poll();
    }
    if (f == null) {
      f = Fault.none();
      for (Rule r : rules.get(op)) {
        if (random.nextDouble() < r.probability()) {
          f = r.fault();
          break;
        }
      }
    }
    if (f.type() != Fault.Type.NONE) {
      injected.get(op).incrementAndGet();
    }
    return f;
  }

  private synchronized boolean draw(double p) {
    return random.nextDouble() < p;
  }

  /** The bytes after a TRUNCATE or CORRUPT fault (a copy; {@code data} is not changed). */
  private byte[] damage(Fault f, byte[] data, int length) {
    if (f.type() == Fault.Type.TRUNCATE) {
      return Arrays.copyOf(data, length / 2);
    }
    byte[] out = Arrays.copyOf(data, length);
    if (length > 0) {
      int at;
      synchronized (this) {
        at = random.nextInt(length);
      }
      out[at] ^= 0x5a;
    }
    return out;
  }

  private static boolean damaging(Fault f) {
    return f.type() == Fault.Type.TRUNCATE || f.type() == Fault.Type.CORRUPT;
  }

  /** Applies the fault's before-effects; returns true when the operation must fail after running. */
  private boolean before(Fault f, String op, String path) {
    switch (f.type()) {
      case TRANSIENT -> throw StoreException.transientError("cannot " + op + " " + path + " on " + name()
          + ": connection reset (injected fault)", null);
      case PERMANENT -> throw StoreException.permanent("cannot " + op + " " + path + " on " + name()
          + ": permission denied (injected fault)");
      case DELAY -> {
        try {
          sleeper.sleep(f.delay());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw StoreException.permanent("interrupted during " + op + " " + path + " on " + name());
        }
        return false;
      }
      case LOST_RESPONSE -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private StoreException lost(String op, String path) {
    return StoreException.transientError("cannot " + op + " " + path + " on " + name()
        + ": no response (injected fault; the operation was done)", null);
  }

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    Fault f = next(Op.PUT, path);
    if (f.type() == Fault.Type.DROP_CONNECTION) {
      dropped(path, new ByteArrayInputStream(data, 0, length), length, f.bytes());
      return;
    }
    if (f.type() == Fault.Type.SILENT_DROP) {
      StorePaths.check(this, path);
      return;
    }
    if (damaging(f)) {
      inner.put(path, damage(f, data, length));
      return;
    }
    boolean fail = before(f, "put", path);
    inner.put(path, data, length);
    if (fail) {
      throw lost("put", path);
    }
  }

  @Override
  public void put(String path, InputStream data, long length) {
    Fault f = next(Op.PUT, path);
    if (f.type() == Fault.Type.DROP_CONNECTION) {
      dropped(path, data, length, f.bytes());
      return;
    }
    if (f.type() == Fault.Type.SILENT_DROP || damaging(f)) {
      byte[] all = UploadSource.readExactly(this, path, data, (int) length);
      if (f.type() != Fault.Type.SILENT_DROP) {
        inner.put(path, damage(f, all, all.length));
      }
      return;
    }
    boolean fail = before(f, "put", path);
    inner.put(path, data, length);
    if (fail) {
      throw lost("put", path);
    }
  }

  private void dropped(String path, InputStream data, long length, long after) {
    DroppingStream in = new DroppingStream(data, after);
    try {
      inner.put(path, in, length);
    } catch (RuntimeException e) {
      if (in.dropped) {
        throw StoreException.transientError("cannot put " + path + " on " + name() + ": connection dropped after "
            + after + " of " + length + " bytes (injected fault)", e);
      }
      throw e;
    }
    // the whole upload went through before the drop: the answer is what got lost
    throw lost("put", path);
  }

  /** Fails with "connection reset" once {@code limit} bytes were read. */
  private static final class DroppingStream extends FilterInputStream {
    private long left;
    volatile boolean dropped;

    DroppingStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    private IOException drop() {
      dropped = true;
      return new IOException("connection reset (injected fault)");
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        throw drop();
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left <= 0) {
        throw drop();
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  @Override
  public byte[] get(String path) {
    Fault f = next(Op.GET, path);
    boolean fail = before(f, "get", path);
    byte[] b = inner.get(path);
    if (fail) {
      throw lost("get", path);
    }
    return damaging(f) ? damage(f, b, b.length) : b;
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    Fault f = next(Op.GET, path);
    boolean fail = before(f, "get", path);
    byte[] b = inner.get(path, offset, length);
    if (fail) {
      throw lost("get", path);
    }
    return damaging(f) ? damage(f, b, b.length) : b;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    Fault f = next(Op.LIST, prefix);
    boolean fail = before(f, "list", prefix);
    List<StoredObject> all = inner.list(prefix);
    if (fail) {
      throw lost("list", prefix);
    }
    if (f.type() == Fault.Type.EMPTY_LISTING) {
      return List.of();
    }
    if (f.type() == Fault.Type.PARTIAL_LISTING && !all.isEmpty()) {
      List<StoredObject> kept = new ArrayList<>();
      for (StoredObject o : all) {
        if (!draw(f.fraction())) {
          kept.add(o);
        }
      }
      if (kept.size() == all.size()) {
        kept.remove(kept.size() - 1);
      }
      return kept;
    }
    return all;
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    boolean fail = before(next(Op.STAT, path), "stat", path);
    Optional<StoredObject> o = inner.stat(path);
    if (fail) {
      throw lost("stat", path);
    }
    return o;
  }

  @Override
  public boolean exists(String path) {
    boolean fail = before(next(Op.STAT, path), "stat", path);
    boolean b = inner.exists(path);
    if (fail) {
      throw lost("stat", path);
    }
    return b;
  }

  @Override
  public void delete(String path) {
    boolean fail = before(next(Op.DELETE, path), "delete", path);
    inner.delete(path);
    if (fail) {
      throw lost("delete", path);
    }
  }
}
