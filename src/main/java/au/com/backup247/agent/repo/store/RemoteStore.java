package au.com.backup247.agent.repo.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the backends that talk to a server (SFTP, FTP, S3, Azure) have in common: their settings, an
 * immutable config record, and a name made from it for messages (its URL, never a secret). A put
 * of an array goes the way of the streamed put ({@link #put(String, InputStream, long)}) unless the
 * backend has a better way for arrays (the object stores send the parts of an array in parallel).
 *
 * @param <C> the backend's config record
 */
public abstract class RemoteStore<C extends Record> implements Store {
  /** The settings, checked by the record's constructor. */
  protected final C config;
  /** The store's name for messages ({@link #name()}). */
  protected final String name;

  /** A store with {@code config} (not null), named {@code name.apply(config)}. */
  protected RemoteStore(C config, Function<C, String> name) {
    this.config = Objects.requireNonNull(config, "config");
    this.name = name.apply(config);
  }

  public final C config() {
    return config;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }

  /**
   * Checks a server's address in a config record: {@code host} and {@code user} not blank, the
   * port between 1 and 65535; otherwise an {@link IllegalArgumentException} naming
   * {@code protocol}'s setting ("SFTP host is missing").
   */
  public static void checkServer(String protocol, String host, int port, String user) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(protocol + " host is missing");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(protocol + " port " + port + " is out of range");
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException(protocol + " user is missing");
    }
  }

  @Override
  public final void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  /** Streams the array through {@link #put(String, InputStream, long)}. */
  @Override
  public void put(String path, byte[] data, int length) {
    put(path, new ByteArrayInputStream(data, 0, length), length);
  }

  @Override
  public abstract void put(String path, InputStream data, long length);
}
