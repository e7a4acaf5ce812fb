package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.function.Function;

/**
 * A backend that keeps objects in an object store (S3, Azure Blob Storage): an object becomes
 * visible only when its upload is complete, so a put is atomic without temporary names. Every put
 * goes through {@link PartUpload}: before the store's first put, {@link #prepare} (the bucket or
 * container made when missing); then one request below the threshold, else parts. A backend says
 * only what its requests are ({@link #requests}).
 *
 * @param <C> the backend's config record
 */
public abstract class ObjectStore<C extends Record> extends RemoteStore<C> {
  /**
   * Attempts the SDK makes per request, including the first: few on purpose, to ride out a
   * dropped connection or a busy server within one operation; {@link RetryingStore} is the place
   * that decides about longer outages.
   */
  public static final int SDK_ATTEMPTS = 3;
  /** Parts of one object from memory sent at once (per store: its puts share that many threads). */
  public static final int PARTS_AT_ONCE = 4;

  private final PartUpload parts;

  /**
   * A store with {@code config}, named {@code name.apply(config)}, cutting objects by
   * {@code sizes.apply(config)}; the parts of an array go up {@value #PARTS_AT_ONCE} at once, on
   * threads named {@code threadName-N}.
   */
  protected ObjectStore(C config, Function<C, String> name, String threadName,
      Function<C, PartUpload.Sizes> sizes) {
    super(config, name);
    this.parts = new PartUpload(threadName, PARTS_AT_ONCE, sizes.apply(config), this::prepare);
  }

  /**
   * Runs before the store's first put, with that put's path, until it returns normally once: makes
   * the bucket or container when it does not exist; a failure is the put's error.
   */
  protected abstract void prepare(String path);

  /** The requests that put the object at {@code path}: whole, or in parts. */
  protected abstract PartUpload.Requests<?> requests(String path);

  /** The sizes objects are cut by. */
  protected final PartUpload.Sizes sizes() {
    return parts.sizes();
  }

  @Override
  public final void put(String path, byte[] data, int length) {
    parts.put(this, path, data, length, requests(path));
  }

  @Override
  public final void put(String path, InputStream data, long length) {
    parts.put(this, path, data, length, requests(path));
  }

  /** Stops the threads that send parts; no put may be running. */
  @Override
  public void close() {
    parts.close();
  }
}
