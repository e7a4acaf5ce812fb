package au.com.backup247.agent.bandwidth;

import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Limits the bytes of puts (uploads) and gets (downloads) with {@link Bandwidth} token buckets.
 * Uploads are handed to the inner store as a stream that takes tokens as the inner store reads it,
 * so the transfer itself is paced; downloads take tokens for the bytes received. Listing, stat and
 * delete are not limited.
 *
 * <p>Shared mode: pass the same {@link Bandwidth} to several stores, and their sum stays under it.
 * Independent mode: {@link #independent} gives the store its own bucket.
 */
public final class ThrottledStore extends ForwardingStore {
  private final Bandwidth upload;
  private final Bandwidth download;

  /** Uploads and downloads share {@code both}. */
  public ThrottledStore(Store inner, Bandwidth both) {
    this(inner, both, both);
  }

  /** Separate limits; {@code null} leaves that direction unlimited. */
  public ThrottledStore(Store inner, Bandwidth upload, Bandwidth download) {
    super(inner);
    this.upload = upload;
    this.download = download;
  }

  /** A store with its own bucket of {@code bytesPerSecond} (burst {@code burstBytes}) for both directions. */
  public static ThrottledStore independent(Store inner, long bytesPerSecond, long burstBytes) {
    return new ThrottledStore(inner, new Bandwidth(bytesPerSecond, burstBytes));
  }

  /** The bucket uploads draw from, or null when they are not limited. */
  public Bandwidth upload() {
    return upload;
  }

  /** The bucket downloads draw from, or null when they are not limited. */
  public Bandwidth download() {
    return download;
  }

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    if (upload == null) {
      inner.put(path, data, length);
      return;
    }
    inner.put(path, new Paced(new ByteArrayInputStream(data, 0, length), upload), length);
  }

  @Override
  public void put(String path, InputStream data, long length) {
    inner.put(path, upload == null ? data : new Paced(data, upload), length);
  }

  @Override
  public byte[] get(String path) {
    byte[] b = inner.get(path);
    if (download != null) {
      download.acquire(b.length);
    }
    return b;
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    byte[] b = inner.get(path, offset, length);
    if (download != null) {
      download.acquire(b.length);
    }
    return b;
  }

  /** Takes tokens for every piece read; reads at most {@link Bandwidth#chunk()} bytes at once. */
  private static final class Paced extends FilterInputStream {
    private final Bandwidth bandwidth;

    Paced(InputStream in, Bandwidth bandwidth) {
      super(in);
      this.bandwidth = bandwidth;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bandwidth.acquire(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, bandwidth.chunk()));
      if (n > 0) {
        bandwidth.acquire(n);
      }
      return n;
    }
  }
}
