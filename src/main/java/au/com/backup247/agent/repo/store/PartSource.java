package au.com.backup247.agent.repo.store;

import java.io.InputStream;

/**
 * The bytes of an upload sent in parts (S3 multipart, Azure staged blocks): {@link #read} fills
 * {@code buf[0..n)} with the object's bytes from {@code offset}. Parts are read in order, each once.
 */
@FunctionalInterface
public interface PartSource {
  void read(byte[] buf, long offset, int n);

  /** Parts of an array. */
  static PartSource of(byte[] data) {
    return (buf, offset, n) -> System.arraycopy(data, (int) offset, buf, 0, n);
  }

  /**
   * Parts of a stream of {@code length} bytes, read in order; a failure or early end of the stream is
   * a transient {@link StoreException} naming the store, the path and how far the upload got.
   */
  static PartSource of(Store store, String path, InputStream data, long length) {
    UploadSource source = new UploadSource(data, length);
    return (buf, offset, n) -> {
      try {
        source.read(buf, 0, n);
      } catch (UploadSource.Failure f) {
        throw f.error(path, store.name());
      }
    };
  }
}
