package au.com.backup247.agent.backup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One task per destination, all at once, each on a thread of its own; returns once every task
 * ended. What a backup does at a destination before and after its blocks (connect and log in, lock,
 * read the index, commit) is mostly waiting for that server, so one destination's round trips need
 * not wait behind another's. One item runs on the caller's thread.
 *
 * <p>Every task runs to its end even when another fails (a task may hold a lock or a connection that
 * its caller releases after), then the failure of the first failed item in list order is thrown,
 * the others added to it as suppressed. An interrupt of the waiting thread does not abandon the
 * tasks: the call still waits for them and returns with the thread's interrupt flag set.
 */
public final class Concurrently {
  private Concurrently() {
  }

  /** {@code task} applied to each of {@code items} at once; the results in the order of the items. */
  public static <T, R> List<R> map(String name, List<T> items, Function<? super T, ? extends R> task) {
    if (items.size() <= 1) {
      return items.isEmpty() ? List.of() : Collections.singletonList(task.apply(items.get(0)));
    }
    List<CompletableFuture<R>> running = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      CompletableFuture<R> f = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          f.complete(task.apply(item));
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      }, "b247-" + name + "-" + i);
      t.setDaemon(true);
      t.start();
      running.add(f);
    }
    List<R> out = new ArrayList<>();
    Throwable failure = null;
    for (CompletableFuture<R> f : running) {
      try {
        out.add(awaitUninterruptibly(f));
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        } else {
          failure.addSuppressed(e.getCause());
        }
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return out;
  }

  /** {@code task} run for each of {@code items} at once. */
  public static <T> void forEach(String name, List<T> items, Consumer<? super T> task) {
    map(name, items, item -> {
      task.accept(item);
      return Boolean.TRUE;
    });
  }

  private static <R> R awaitUninterruptibly(CompletableFuture<R> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
