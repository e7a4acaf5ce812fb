package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that "crashes" at its n-th call (TEST-MATRIX R1, R20): that call is carried out first when
 * {@code after}, and it and every later call fail, so nothing more reaches the store, as after
 * {@code kill -9}.
 */
final class CrashingStore extends ForwardingStore {
  private final int crashAt;
  private final boolean after;
  private final AtomicInteger calls = new AtomicInteger();

  CrashingStore(Store inner, int crashAt, boolean after) {
    super(inner);
    this.crashAt = crashAt;
    this.after = after;
  }

  /** Counts the call; throws when the store is "dead"; returns whether to throw after doing it. */
  private boolean enter(String op) {
    int n = calls.incrementAndGet();
    if (n > crashAt || (n == crashAt && !after)) {
      throw StoreException.permanent("crashed before " + op + " (call " + n + ")");
    }
    return n == crashAt;
  }

  private void leave(boolean crash, String op) {
    if (crash) {
      throw StoreException.permanent("crashed after " + op);
    }
  }

  int calls() {
    return calls.get();
  }

  @Override
  public void put(String path, byte[] data) {
    boolean c = enter("put " + path);
    super.put(path, data);
    leave(c, "put " + path);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    boolean c = enter("put " + path);
    super.put(path, data, length);
    leave(c, "put " + path);
  }

  @Override
  public void put(String path, InputStream data, long length) {
    boolean c = enter("put " + path);
    super.put(path, data, length);
    leave(c, "put " + path);
  }

  @Override
  public byte[] get(String path) {
    boolean c = enter("get " + path);
    byte[] b = super.get(path);
    leave(c, "get " + path);
    return b;
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    boolean c = enter("get " + path);
    byte[] b = super.get(path, offset, length);
    leave(c, "get " + path);
    return b;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    boolean c = enter("list " + prefix);
    List<StoredObject> l = super.list(prefix);
    leave(c, "list " + prefix);
    return l;
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    boolean c = enter("stat " + path);
    Optional<StoredObject> o = super.stat(path);
    leave(c, "stat " + path);
    return o;
  }

  @Override
  public boolean exists(String path) {
    boolean c = enter("exists " + path);
    boolean e = super.exists(path);
    leave(c, "exists " + path);
    return e;
  }

  @Override
  public void delete(String path) {
    boolean c = enter("delete " + path);
    super.delete(path);
    leave(c, "delete " + path);
  }

  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    boolean c = enter("remove temporary");
    int n = super.removeTemporaryBefore(before);
    leave(c, "remove temporary");
    return n;
  }
}
