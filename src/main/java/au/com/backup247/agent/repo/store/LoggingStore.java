package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each operation at DEBUG: operation, path, bytes (or objects listed) and milliseconds, and the error message
 * when it fails. Only the store's {@link Store#name()} (which never holds secrets), paths, sizes
 * and error messages are logged; never object content.
 */
public final class LoggingStore extends ForwardingStore {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingStore.class);
  private final Logger log;

  public LoggingStore(Store inner) {
    this(inner, LOG);
  }

  /** Logs to {@code log} (tests, or a per-destination logger). */
  public LoggingStore(Store inner, Logger log) {
    super(inner);
    this.log = log;
  }

  private <T> T logged(String op, String path, Supplier<T> call, Function<T, String> amount) {
    if (!log.isDebugEnabled()) {
      return call.get();
    }
    long start = System.nanoTime();
    try {
      T result = call.get();
      log.debug("{} {} {} {} ms on {}", op, path, amount.apply(result), millis(start), name());
      return result;
    } catch (RuntimeException e) {
      log.debug("{} {} failed after {} ms on {}: {}", op, path, millis(start), name(), e.getMessage());
      throw e;
    }
  }

  private void logged(String op, String path, long bytes, Runnable call) {
    logged(op, path, () -> {
      call.run();
      return bytes;
    }, b -> b + " bytes");
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void put(String path, byte[] data) {
    logged("put", path, data.length, () -> inner.put(path, data));
  }

  @Override
  public void put(String path, byte[] data, int length) {
    logged("put", path, length, () -> inner.put(path, data, length));
  }

  @Override
  public void put(String path, InputStream data, long length) {
    logged("put", path, length, () -> inner.put(path, data, length));
  }

  @Override
  public byte[] get(String path) {
    return logged("get", path, () -> inner.get(path), b -> b.length + " bytes");
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    return logged("get", path + "@" + offset, () -> inner.get(path, offset, length), b -> b.length + " bytes");
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return logged("list", prefix, () -> inner.list(prefix), l -> l.size() + " objects");
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    return logged("stat", path, () -> inner.stat(path), o -> o.map(x -> x.size() + " bytes").orElse("missing"));
  }

  @Override
  public boolean exists(String path) {
    return logged("exists", path, () -> inner.exists(path), b -> b ? "present" : "missing");
  }

  @Override
  public void delete(String path) {
    logged("delete", path, 0, () -> inner.delete(path));
  }
}
