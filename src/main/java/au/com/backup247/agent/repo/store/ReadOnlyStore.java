package au.com.backup247.agent.repo.store;

import java.io.InputStream;

/**
 * Refuses every change: put and delete throw a permanent {@link StoreException} naming the store
 * and the path; reads are forwarded. For restores and checks that must not touch a repository.
 */
public final class ReadOnlyStore extends ForwardingStore {
  public ReadOnlyStore(Store inner) {
    super(inner);
  }

  private StoreException refused(String op, String path) {
    return StoreException.permanent("cannot " + op + " " + path + ": " + name() + " is opened read-only");
  }

  @Override
  public void put(String path, byte[] data) {
    throw refused("put", path);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    throw refused("put", path);
  }

  @Override
  public void put(String path, InputStream data, long length) {
    throw refused("put", path);
  }

  @Override
  public void delete(String path) {
    throw refused("delete", path);
  }

  /** Removes nothing: the store is not changed. */
  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    return 0;
  }
}
