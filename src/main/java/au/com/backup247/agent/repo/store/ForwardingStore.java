package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decorator base: forwards every operation to {@link #inner}. Subclasses override what they
 * change. {@link #name()} is the inner store's name, so messages keep naming the destination.
 */
public abstract class ForwardingStore implements Store {
  protected final Store inner;

  protected ForwardingStore(Store inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  /** The decorated store. */
  public Store inner() {
    return inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void put(String path, byte[] data) {
    inner.put(path, data);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    inner.put(path, data, length);
  }

  @Override
  public void put(String path, InputStream data, long length) {
    inner.put(path, data, length);
  }

  @Override
  public byte[] get(String path) {
    return inner.get(path);
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    return inner.get(path, offset, length);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return inner.list(prefix);
  }

  @Override
  public List<String> folders(String folder) {
    return inner.folders(folder);
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    return inner.stat(path);
  }

  @Override
  public boolean exists(String path) {
    return inner.exists(path);
  }

  @Override
  public void delete(String path) {
    inner.delete(path);
  }

  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    return inner.removeTemporaryBefore(before);
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + inner.name() + "]";
  }
}
