package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the folders of a restore in path order on the calling thread (one {@link DirCursor} pass)
 * and hands each folder's files to a pool of {@code threads} restore threads as one task, with a
 * descriptor of that folder of its own: two threads creating files in one folder contend for its
 * lock. Folders are made while earlier ones are being written; at most a few tasks wait, each
 * holding one open folder.
 *
 * <p>While every thread has a folder to restore, files are decoded on their folder's thread;
 * once fewer folders are left than threads (the last folders, or a restore of one large file), a
 * thread is idle and will stay so, and large files are decoded in parallel ({@link ParallelDecoder}).
 */
final class FolderWriter {
  /** A folder of the target: the stored folder versions restored as it (usually one) and the files written into it. */
  static final class Folder {
    final List<RestoreSelection.Item> items = new ArrayList<>(1);
    final List<Pending> files = new ArrayList<>();
  }

  /**
   * What {@link #write} made: the folder entries that get their stored metadata, the folders
   * (relative) inside the selection where unmatched data may be deleted, and the folders written
   * into that were there before the restore (where temp files of an earlier, interrupted restore
   * may be left; folders it made were empty).
   */
  record Made(List<RestoreSelection.Item> dirs, Set<Path> deleteRoots, Set<Path> existing) {
  }

  private final int threads;
  private final FileRestorer files;
  private final RestoreSelection selection;
  private final RestoreProgress progress;
  private final JobLog log;
  private final Path target;
  /**
   * Folders with files to write that are not finished yet, started or not: below {@code threads},
   * a restore thread is idle and will stay so (each thread writes one folder at a time).
   */
  private final AtomicInteger unfinished = new AtomicInteger();

  FolderWriter(int threads, FileRestorer files, RestoreSelection selection, RestoreProgress progress, JobLog log,
      Path target) {
    this.threads = Math.max(1, threads);
    this.files = files;
    this.selection = selection;
    this.progress = progress;
    this.log = log;
    this.target = target;
  }

  /** Makes every folder of {@code byFolder} (in its order: a folder before its content) and writes its files. */
  Made write(TargetDir root, Map<Path, Folder> byFolder) throws InterruptedException {
    Made made = new Made(new ArrayList<>(), new HashSet<>(), new HashSet<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "b247-restore");
      t.setDaemon(true);
      return t;
    });
    Semaphore waiting = new Semaphore(threads * 4);
    List<Future<?>> pending = new ArrayList<>();
    unfinished.set((int) byFolder.values().stream().filter(f -> !f.files.isEmpty()).count());
    try (DirCursor c = new DirCursor(root, made.existing())) {
      for (Map.Entry<Path, Folder> e : byFolder.entrySet()) {
        if (progress.cancelled()) {
          break;
        }
        TargetDir own = open(c, e.getKey(), e.getValue(), made, waiting);
        if (own != null) {
          pending.add(pool.submit(() -> writeAll(own, e.getValue().files, waiting)));
        }
      }
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (ExecutionException e) {
          progress.failed();
          log.error("restore failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.HOURS);
      files.shutdown();
    }
    return made;
  }

  /**
   * Makes folder {@code rel}, notes its stored versions in {@code made}, and returns a descriptor
   * of it of its own for its files (a place in {@code waiting} taken), or null when it has none or
   * could not be made (logged and counted).
   */
  private TargetDir open(DirCursor c, Path rel, Folder folder, Made made, Semaphore waiting)
      throws InterruptedException {
    try {
      TargetDir d = c.moveTo(rel, true);
      for (RestoreSelection.Item it : folder.items) {
        // a parent of a source root ("/", "/home") is only made, never given stored metadata
        if (!selection.parentOfSource(it.version().path())) {
          made.dirs().add(it);
          progress.folderRestored();
          if (selection.within(it.version().path())) {
            made.deleteRoots().add(rel);
          }
        }
      }
      if (folder.files.isEmpty()) {
        return null;
      }
      waiting.acquire();
      try {
        return d.child(Path.of("."), false);
      } catch (IOException ex) {
        waiting.release(); // no task will release it
        throw ex;
      }
    } catch (IOException ex) {
      progress.failed();
      if (!folder.files.isEmpty()) {
        unfinished.decrementAndGet();
      }
      log.error(ex instanceof TargetDir.RefusedException ? ex.getMessage()
          : "cannot create folder " + target.resolve(rel) + ": " + ex.getMessage());
      return null;
    }
  }

  /** One folder's task: its files one after the other, then the folder closed and its place freed. */
  private void writeAll(TargetDir own, List<Pending> folderFiles, Semaphore waiting) {
    try (own) {
      for (Pending f : folderFiles) {
        if (progress.cancelled()) {
          break;
        }
        files.restore(own, f, idleThread());
      }
    } finally {
      unfinished.decrementAndGet();
      waiting.release();
    }
  }

  /** True when a restore thread is idle and will stay so: fewer folders are left than threads. */
  private boolean idleThread() {
    return threads > 1 && unfinished.get() < threads;
  }
}
