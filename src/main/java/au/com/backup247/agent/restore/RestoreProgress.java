package au.com.backup247.agent.restore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of one restore and its cancel flag, written by the restore threads and read by any
 * thread while it runs ({@link RestoreEngine#progress()}, {@link RestoreEngine#live()}). Folders,
 * symlinks and deletions are counted by the thread that drives the restore only.
 */
final class RestoreProgress {
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong verified = new AtomicLong();
  private volatile long folders;
  private volatile long symlinks;
  private volatile long deleted;
  private volatile long filesTotal = -1;
  private volatile long bytesTotal = -1;
  private volatile String current;
  private volatile boolean cancelled;

  /** Sets what the restore will write in all: its files and their bytes. */
  void totals(long nFiles, long nBytes) {
    bytesTotal = nBytes;
    filesTotal = nFiles;
  }

  /** The file being written now (null: none). */
  void current(String path) {
    current = path;
  }

  void wrote(long n) {
    written.addAndGet(n);
  }

  void fileRestored(long size) {
    files.incrementAndGet();
    bytes.addAndGet(size);
  }

  void failed() {
    failed.incrementAndGet();
  }

  void fileVerified() {
    verified.incrementAndGet();
  }

  void folderRestored() {
    folders++; // one thread
  }

  void symlinkRestored() {
    symlinks++; // one thread
  }

  void deletedOne() {
    deleted++; // one thread
  }

  void cancel() {
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  long verified() {
    return verified.get();
  }

  RestoreEngine.Summary summary() {
    return new RestoreEngine.Summary(files.get(), folders, symlinks, bytes.get(), failed.get(), deleted);
  }

  RestoreEngine.Live live() {
    return new RestoreEngine.Live(written.get(), filesTotal, bytesTotal, current);
  }
}
