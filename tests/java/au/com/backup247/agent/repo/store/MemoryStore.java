package au.com.backup247.agent.repo.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A destination held in memory, for tests. Thread-safe; puts are atomic because an
 * object's bytes are copied before they are published. Objects are copied in and out, so callers
 * may reuse their arrays.
 */
public final class MemoryStore implements Store {
  private final String name;
  private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

  /** A store named {@code memory:}. */
  public MemoryStore() {
    this("memory:");
  }

  public MemoryStore(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    StorePaths.check(this, path);
    objects.put(path, Arrays.copyOf(data, length));
  }

  @Override
  public byte[] get(String path) {
    return object(path).clone();
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    StorePaths.checkRange(this, path, offset, length);
    byte[] o = object(path);
    if (offset + length > o.length) {
      throw StorePaths.outOfRange(this, path, offset, length, o.length);
    }
    return Arrays.copyOfRange(o, (int) offset, (int) offset + length);
  }

  private byte[] object(String path) {
    byte[] o = objects.get(StorePaths.check(this, path));
    if (o == null) {
      throw new NoSuchObjectException(path + " does not exist in " + name);
    }
    return o;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    List<StoredObject> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new StoredObject(e.getKey(), e.getValue().length));
    }
    return out;
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    byte[] o = objects.get(StorePaths.check(this, path));
    return o == null ? Optional.empty() : Optional.of(new StoredObject(path, o.length));
  }

  @Override
  public boolean exists(String path) {
    return objects.containsKey(StorePaths.check(this, path));
  }

  @Override
  public void delete(String path) {
    objects.remove(StorePaths.check(this, path));
  }

  /** Total bytes held. */
  public long bytes() {
    return objects.values().stream().mapToLong(o -> o.length).sum();
  }

  @Override
  public String toString() {
    return "MemoryStore[" + name + ", " + objects.size() + " objects]";
  }
}
