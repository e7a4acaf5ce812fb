package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The connections of one store to its server, shared by the store's threads (FTP control
 * connections, SFTP channels): at most {@code max} in use at once; an idle one is reused, the most
 * recently used first, once its {@link Connector} says it still works; one that an operation's
 * failure broke is closed instead of kept. Each operation runs on one connection:
 *
 * <pre>
 *   acquire a permit ─ idle connection that still works, else open one ─ run ─ keep or close ─ release
 * </pre>
 *
 * An I/O failure of an operation becomes the contract's error through {@link Connector#error}; a
 * failing upload source ({@link UploadSource.Failure}) is the transient error it names itself.
 *
 * @param <C> a connection
 */
public final class ConnectionPool<C> {
  /** What a backend says about its connections. */
  public interface Connector<C> {
    /** A new connection; when it cannot be opened, a {@link StoreException} saying why. */
    C open();

    /** Whether an idle connection can serve the next operation. */
    boolean reusable(C c);

    /** Whether a connection whose operation did not break it goes back to the idle ones. */
    boolean keep(C c);

    /** Closes a connection, quietly. */
    void close(C c);

    /** Whether an operation's failure leaves its connection unusable. */
    boolean breaks(Exception e);

    /** The contract's error for an operation's I/O failure. */
    StoreException error(String op, String path, IOException e);

    /** Called after {@code c} broke and was closed, to drop what it shares (an SSH session). */
    default void broke(C c) {
    }
  }

  /** An operation on one connection. */
  @FunctionalInterface
  public interface Call<C, T> {
    T run(C c) throws IOException;
  }

  private final String name;
  private final Connector<C> connector;
  private final Semaphore permits;
  private final LinkedBlockingDeque<C> idle = new LinkedBlockingDeque<>();

  /** A pool for the store named {@code name}, with at most {@code max} connections in use at once. */
  public ConnectionPool(String name, int max, Connector<C> connector) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.name = name;
    this.permits = new Semaphore(max);
    this.connector = connector;
  }

  /** Runs {@code call} (operation {@code op} on {@code path}, as errors name it) on a connection. */
  public <T> T call(String op, String path, Call<C, T> call) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.permanent("interrupted before " + op + " " + path + " on " + name);
    }
    C c = null;
    boolean broken = false;
    try {
      c = idle.pollFirst();
      while (c != null && !connector.reusable(c)) {
        connector.close(c);
        c = idle.pollFirst();
      }
      if (c == null) {
        c = connector.open();
      }
      return call.run(c);
    } catch (UploadSource.Failure e) {
      broken = connector.breaks(e);
      throw e.error(path, name);
    } catch (IOException e) {
      broken = connector.breaks(e);
      throw connector.error(op, path, e);
    } catch (RuntimeException e) {
      broken = connector.breaks(e);
      throw e;
    } finally {
      if (c != null) {
        if (broken || !connector.keep(c)) {
          connector.close(c);
        } else {
          idle.offerFirst(c);
        }
        if (broken) {
          connector.broke(c);
        }
      }
      permits.release();
    }
  }

  /** Takes every idle connection out of the pool and hands it to {@code close}. */
  public void closeIdle(Consumer<C> close) {
    C c;
    while ((c = idle.pollFirst()) != null) {
      close.accept(c);
    }
  }
}
