package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.fs.FdCalls;
import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.RawNames;
import au.com.backup247.agent.repo.store.ChannelIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Restores file versions from a repository into a target folder.
 *
 * <p>Safety: every stored path is re-rooted under the target and checked component by component
 * (no "..", no empty or NUL components); folders on the way are created or must be real folders,
 * never symlinks, and every write happens relative to the folder opened so ({@link TargetDir}), so
 * nothing is ever written through a symlink or outside the target — even from a tampered repository
 * (TEST-MATRIX S2, S3) or while a local user swaps a folder for a symlink during the restore. Files
 * are written to a temp file in their folder, given their metadata through its descriptor
 * ({@link MetadataWriter}) and renamed over the final name, so a restore killed at any point leaves
 * no half-written file under a final name (R5); the next restore into the same folders removes the
 * temp files. A damaged blob fails only its file, with a message naming file, blob, block and job;
 * the other files are restored.
 *
 * <p>Folders are restored in parallel ({@code threads} of them at once), the files of a folder one
 * after the other. The blobs of a large file are fetched, authenticated, decompressed and checked
 * {@code threads} at a time on a shared pool of decoders and written in order as they come (Reactor's
 * {@code flatMapSequential}) when a restore thread is idle and every folder has been started
 * (the last folders, or a restore of one large file), so one large file does not leave the other cores idle;
 * while every thread has a folder to restore, files are decoded on their folder's thread (decoding
 * in parallel then only adds threads competing for the same cores). What is decoded but not written
 * yet stays under {@link #DECODE_WINDOW_BYTES} per file.
 *
 * <p>Progress and cancel (any thread): {@link #live()} tells how far it is; {@link #cancel()} stops
 * it at the next blob — the file being written is dropped, not renamed into place — and nothing
 * more is written (no symlinks, folder metadata or deletions of unmatched data).
 */
public final class RestoreEngine {
  static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  /** What to restore. */
  public record Options(Path target, String asOfJob, boolean allVersions, List<String> includes,
      boolean deleteUnmatched, int threads) {
  }

  /** Counters of one restore. */
  public record Summary(long files, long folders, long symlinks, long bytes, long failed, long deleted) {
  }

  /**
   * How far a restore is: bytes written so far (also of the file being written), the files and
   * bytes it will restore in all (-1 until it has chosen them), and the file being written (or null).
   */
  public record Live(long bytesWritten, long filesTotal, long bytesTotal, String currentFile) {
  }

  private final Repository repo;
  private final Options options;
  private final JobLog log;
  private final Path target;
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile long folders;
  private volatile long symlinks;
  private long deleted;
  private boolean verify;
  private Map<String, Set<String>> onlyVersions = Map.of();
  private final AtomicLong verified = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile long filesTotal = -1;
  private volatile long bytesTotal = -1;
  private volatile String current;
  private volatile boolean cancelled;
  /** Stored source roots of the job restored (manifest "sources"); empty when unknown. */
  private List<String> sourceRoots = List.of();
  private final MetadataWriter meta;
  /** Each restore thread's plaintext buffer, reused from blob to blob. */
  private final ThreadLocal<Repository.PlainBuffer> plainBuffers = ThreadLocal.withInitial(Repository.PlainBuffer::new);
  /** Plaintext kept of chunks used more than once (see {@link RepeatedChunks}). */
  static final long REPEATED_CHUNK_BYTES = 64L << 20;
  private RepeatedChunks chunks;
  /** Files with at least this many blobs are decoded in parallel (smaller ones on their folder's thread). */
  static final int PARALLEL_MIN_BLOBS = 4;
  /** Decoded but not yet written plaintext of one file decoded in parallel, at most (one blob when larger). */
  static final long DECODE_WINDOW_BYTES = 16L << 20;
  /** Where the blobs of large files are decoded: made at the first such file (see {@link #decoders()}). */
  private ExecutorService decodePool;
  private Scheduler decoders;
  /**
   * Folders with files to write that are not finished yet, started or not: below {@code threads},
   * a restore thread is idle and will stay so (each thread writes one folder at a time).
   */
  private final AtomicInteger unfinishedFolders = new AtomicInteger();
  /** Files decoded in parallel (for tests). */
  private final AtomicInteger parallelFiles = new AtomicInteger();
  /** Most bytes decoded and not yet written seen in one file decoded in parallel (for tests). */
  private final AtomicLong peakHeld = new AtomicLong();

  public RestoreEngine(Repository repo, Options options, JobLog log) {
    this.repo = repo;
    this.options = options;
    this.log = log;
    this.target = options.target().toAbsolutePath().normalize();
    this.meta = new MetadataWriter(log);
  }

  /**
   * Re-reads every restored file after its rename and compares its size and SHA-256 with the bytes
   * written (blobs are always authenticated and their chunk ids checked while reading; this adds a
   * check of what reached the disk).
   */
  public RestoreEngine verifyAfterWrite(boolean on) {
    this.verify = on;
    return this;
  }

  /**
   * With {@code allVersions}: of the stored paths this map names, only the versions added by the
   * jobs it gives for them (path → first jobs of the versions to restore); other paths restore
   * every version. The guide's "select only some of the backup versions of a file".
   */
  public RestoreEngine onlyVersions(Map<String, Set<String>> firstJobsByPath) {
    this.onlyVersions = Map.copyOf(firstJobsByPath);
    return this;
  }

  /** The counters so far (another thread may read them while the restore runs). */
  public Summary progress() {
    return new Summary(files.get(), folders, symlinks, bytes.get(), failed.get(), deleted);
  }

  /** See {@link Live}. */
  public Live live() {
    return new Live(written.get(), filesTotal, bytesTotal, current);
  }

  /** Stops the restore at the next blob (see the class comment). */
  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Chunks decoded so far (a chunk used by several files or several times in one is decoded once). */
  long chunksDecoded() {
    return chunks == null ? 0 : chunks.decoded();
  }

  /** The most plaintext of one file decoded in parallel that waited to be written (see {@link #DECODE_WINDOW_BYTES}). */
  long peakDecodedUnwritten() {
    return peakHeld.get();
  }

  /** Files re-read and found identical by {@link #verifyAfterWrite}. */
  public long verifiedFiles() {
    return verified.get();
  }

  public Summary run() throws InterruptedException, IOException {
    return run(History.load(repo, options.asOfJob()));
  }

  /** Restores from an already assembled history. */
  public Summary run(History h) throws InterruptedException, IOException {
    if (h.jobId() == null) {
      throw new RepoException("repository " + repo.store().name() + " has no jobs to restore");
    }
    List<String> unmatched = unmatched(h, options.allVersions(), options.includes());
    if (!unmatched.isEmpty()) {
      throw new RepoException(nothingMatches(unmatched, h.jobId()));
    }
    Files.createDirectories(target);
    if (Files.isSymbolicLink(target)) {
      throw new RepoException("target " + target + " is a symlink; give the real folder");
    }
    sourceRoots = sources(h.jobId());
    List<Item> items = new ArrayList<>();
    if (options.allVersions()) {
      for (History.Span s : h.spans()) {
        Set<String> versions = onlyVersions.get(s.version().path());
        if (selected(s.version().path()) && (versions == null || versions.contains(s.firstJob()))) {
          items.add(new Item(s.version(), s.endJob() == null ? null : s.firstJob()));
        }
      }
    } else {
      for (FileVersion v : h.current().values()) {
        if (selected(v.path())) {
          items.add(new Item(v, null));
        }
      }
    }
    long nFiles = 0;
    long nBytes = 0;
    for (Item it : items) {
      if (it.version.kind() == FileVersion.FILE) {
        nFiles++;
        nBytes += it.version.size();
      }
    }
    bytesTotal = nBytes;
    filesTotal = nFiles;
    chunks = new RepeatedChunks(repo, () -> items.stream().map(Item::version)
        .filter(v -> v.kind() == FileVersion.FILE).iterator(), REPEATED_CHUNK_BYTES);
    log.info("restoring " + items.size() + " entries of job " + h.jobId() + " to " + target);
    if (!Fds.available() && MetadataWriter.ROOT) {
      log.warn("restoring as root without descriptor paths (" + Fds.unavailableReason() + "): folders and symlinks "
          + "are made through their paths and set-uid/set-gid bits are not restored");
    }
    try (TargetDir root = TargetDir.open(target)) {
      restoreInto(root, items, h);
    } finally {
      meta.report();
    }
    return new Summary(files.get(), folders, symlinks, bytes.get(), failed.get(), deleted);
  }

  private void restoreInto(TargetDir root, List<Item> items, History h) throws InterruptedException {
    List<Pending> links = new ArrayList<>();
    Set<Path> restored = new HashSet<>();
    // every folder to make or write into, in the order met (path order: a folder before its content)
    Map<Path, Folder> byFolder = new LinkedHashMap<>();
    for (Item it : items) {
      Path rel;
      try {
        rel = relative(it);
      } catch (RepoException e) {
        failed.incrementAndGet();
        log.error(e.getMessage());
        continue;
      }
      Path dest = target.resolve(rel);
      if (options.deleteUnmatched()) {
        restored.add(dest);
      }
      switch (it.version.kind()) {
        case FileVersion.FOLDER -> byFolder.computeIfAbsent(rel, k -> new Folder()).items.add(it);
        // symlinks are created after every file: no file is ever written below a link made here
        case FileVersion.SYMLINK -> links.add(new Pending(it.version, rel, dest));
        default -> byFolder.computeIfAbsent(folderOf(rel), k -> new Folder()).files.add(new Pending(it.version, rel,
            dest));
      }
    }
    List<Item> dirs = new ArrayList<>();
    Set<Path> deleteRoots = new HashSet<>();
    writeFiles(root, byFolder, h, dirs, deleteRoots);
    current = null;
    if (cancelled) {
      log.warn("restore cancelled: files not restored yet were left as they are");
      removeLeftoverTemps(root);
      return;
    }
    try (DirCursor c = new DirCursor(root, null)) {
      for (Pending l : links) {
        try {
          symlink(c.moveTo(folderOf(l.rel()), true), l);
        } catch (IOException e) {
          failed.incrementAndGet();
          log.error("symlink " + l.version().path() + " was not restored: " + e.getMessage());
        }
      }
    }
    dirs.sort((a, b) -> b.version.path().compareTo(a.version.path())); // deepest first
    try (DirCursor c = new DirCursor(root, null)) {
      for (Item d : dirs) {
        Path rel = relative(d);
        Path dest = target.resolve(rel);
        try {
          TargetDir dir = c.moveTo(rel, false);
          meta.apply(dir.self(), dir.byDescriptor(), d.version, dest.toString());
        } catch (IOException e) {
          log.warn("cannot set the metadata of folder " + dest + ": " + e.getMessage());
        }
      }
    }
    if (options.deleteUnmatched()) {
      deleteUnmatched(root, restored, deleteRoots);
    }
    removeLeftoverTemps(root);
  }

  /** A folder of the target: the stored folder versions restored as it (usually one) and the files written into it. */
  private static final class Folder {
    final List<Item> items = new ArrayList<>(1);
    final List<Pending> files = new ArrayList<>();
  }

  /**
   * Makes the folders in order on this thread (one {@link DirCursor} pass) and hands each folder's
   * files to the pool as one task, with a descriptor of that folder of its own: two threads creating
   * files in one folder contend for its lock. Folders are made while earlier ones are being written;
   * at most a few tasks wait, each holding one open folder.
   */
  private void writeFiles(TargetDir root, Map<Path, Folder> byFolder, History h, List<Item> dirs,
      Set<Path> deleteRoots) throws InterruptedException {
    int threads = Math.max(1, options.threads());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "b247-restore");
      t.setDaemon(true);
      return t;
    });
    Semaphore waiting = new Semaphore(threads * 4);
    List<Future<?>> pending = new ArrayList<>();
    unfinishedFolders.set((int) byFolder.values().stream().filter(f -> !f.files.isEmpty()).count());
    try (DirCursor c = new DirCursor(root, existing)) {
      for (Map.Entry<Path, Folder> e : byFolder.entrySet()) {
        if (cancelled) {
          break;
        }
        Path rel = e.getKey();
        TargetDir own;
        try {
          TargetDir d = c.moveTo(rel, true);
          for (Item it : e.getValue().items) {
            // a parent of a source root ("/", "/home") is only made, never given stored metadata
            if (!parentOfSource(it.version.path())) {
              dirs.add(it);
              folders++;
              if (within(it.version.path())) {
                deleteRoots.add(rel);
              }
            }
          }
          if (e.getValue().files.isEmpty()) {
            continue;
          }
          waiting.acquire();
          own = d.child(Path.of("."), false);
        } catch (IOException ex) {
          failed.incrementAndGet();
          if (!e.getValue().files.isEmpty()) {
            unfinishedFolders.decrementAndGet();
          }
          log.error(ex instanceof TargetDir.RefusedException ? ex.getMessage()
              : "cannot create folder " + target.resolve(rel) + ": " + ex.getMessage());
          continue;
        }
        List<Pending> files = e.getValue().files;
        pending.add(pool.submit(() -> {
          try (own) {
            for (Pending f : files) {
              if (cancelled) {
                break;
              }
              restoreFile(own, f, h);
            }
          } finally {
            unfinishedFolders.decrementAndGet();
            waiting.release();
          }
        }));
      }
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (ExecutionException e) {
          failed.incrementAndGet();
          log.error("restore failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.HOURS);
      ExecutorService decoding;
      synchronized (this) {
        decoding = decodePool;
        decodePool = null;
        if (decoding != null) {
          decoders.dispose();
          decoders = null;
        }
      }
      if (decoding != null) {
        decoding.shutdown();
        decoding.awaitTermination(1, TimeUnit.HOURS);
      }
    }
  }

  /** An entry to restore: its version, its path relative to the target, and that path under the target. */
  private record Pending(FileVersion version, Path rel, Path dest) {
  }

  private static Path folderOf(Path rel) {
    Path parent = rel.getParent();
    return parent == null ? Path.of("") : parent;
  }

  private record Item(FileVersion version, String suffixJob) {
  }

  private List<String> sources(String jobId) {
    try {
      return repo.manifest(jobId).sources();
    } catch (RuntimeException e) {
      return List.of(); // a history assembled without manifests
    }
  }

  /** True for a stored folder that is a strict ancestor of every source root it leads to (backed up as a parent). */
  private boolean parentOfSource(String path) {
    boolean ancestor = false;
    for (String root : sourceRoots) {
      if (path.equals(root) || root.equals("/") || path.startsWith(root + "/")) {
        return false;
      }
      if (path.equals("/") || root.startsWith(path + "/")) {
        ancestor = true;
      }
    }
    return ancestor;
  }

  /** Inside the selection itself (not just on the way to it): where unmatched data may be deleted. */
  private boolean within(String path) {
    if (options.includes() == null || options.includes().isEmpty()) {
      return true;
    }
    for (String inc : options.includes()) {
      String i = inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
      if (path.equals(i) || path.startsWith(i + "/") || i.equals("/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The requested paths that select nothing: no stored path equals them or lies below them, as of
   * the job of {@code h} (or in any version kept, with {@code allVersions}). A restore asked for
   * such a path is refused before anything is written.
   */
  public static List<String> unmatched(History h, boolean allVersions, List<String> includes) {
    List<String> out = new ArrayList<>();
    for (String inc : includes == null ? List.<String>of() : includes) {
      String i = inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
      if (!matches(h.current(), i) && !(allVersions && h.spans().stream().anyMatch(s -> under(s.version().path(), i)))) {
        out.add(inc);
      }
    }
    return out;
  }

  /** "path /x is not in job J: nothing was restored" (one or several paths). */
  public static String nothingMatches(List<String> unmatched, String jobId) {
    return (unmatched.size() == 1 ? "path " + unmatched.get(0) + " is" : "paths " + String.join(", ", unmatched)
        + " are") + " not in the backup as of job " + jobId + ": nothing was restored (see the stored paths with "
        + "browse or search; paths are absolute, as backed up)";
  }

  private static boolean matches(NavigableMap<String, FileVersion> current, String i) {
    if (i.equals("/")) {
      return !current.isEmpty();
    }
    if (current.containsKey(i)) {
      return true;
    }
    String below = current.higherKey(i + "/");
    return below != null && below.startsWith(i + "/");
  }

  private static boolean under(String path, String i) {
    return i.equals("/") || path.equals(i) || path.startsWith(i + "/");
  }

  private boolean selected(String path) {
    if (options.includes() == null || options.includes().isEmpty()) {
      return true;
    }
    for (String inc : options.includes()) {
      String i = inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
      if (path.equals(i) || path.startsWith(i + "/") || i.equals("/") || i.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The path relative to the target for a stored path, refusing anything that could escape it: a NUL,
   * an empty component (but a leading or trailing "/"), ".", ".." or a backslash. Built as one string
   * and parsed once (a restore computes it for every entry before the first file is written).
   */
  Path relative(Item it) {
    String stored = it.version.path();
    if (stored.indexOf('\0') >= 0) {
      throw new RepoException("refused stored path with a NUL byte: " + stored.replace('\0', '?'));
    }
    String[] parts = stored.split("/");
    StringBuilder rel = new StringBuilder(stored.length() + (it.suffixJob == null ? 0 : 24));
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        if (i == 0) {
          continue;
        }
        throw new RepoException("refused stored path with an empty component: " + stored);
      }
      if (part.equals(".") || part.equals("..") || part.indexOf('\\') >= 0) {
        throw new RepoException("refused stored path that could leave the target: " + stored);
      }
      if (rel.length() > 0) {
        rel.append('/');
      }
      rel.append(i == parts.length - 1 && it.suffixJob != null ? withSuffix(part, it.suffixJob) : part);
    }
    Path p = rel.length() == 0 ? Path.of("") : RawNames.path(rel.toString());
    if (p.isAbsolute() || !target.resolve(p).normalize().startsWith(target)) {
      throw new RepoException("refused stored path outside the target: " + stored);
    }
    return p;
  }

  /** Older versions get the job's time in their name, before the extension: report.2026-11-26-08-00-00.txt. */
  static String withSuffix(String name, String jobId) {
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      return name.substring(0, dot) + "." + jobId + name.substring(dot);
    }
    return name + "." + jobId;
  }

  /**
   * Folders of the target this restore wrote into that were there before it (relative): where
   * temp files of an earlier, interrupted restore may be left. Folders it made were empty.
   */
  private final Set<Path> existing = new HashSet<>();

  private void restoreFile(TargetDir d, Pending f, History h) {
    FileVersion v = f.version();
    // a short temp name: the final name may already be the longest a folder allows (255 bytes)
    Path tmp = Path.of(".b247tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    byte[] digest;
    current = v.path();
    try {
      try (FileChannel out = d.create(tmp)) {
        Sink sink = new Sink(out, verify ? sha256() : null);
        Repository.PlainBuffer plain = plainBuffers.get();
        List<ChunkId> ids = v.chunks();
        if (options.threads() > 1 && ids.size() >= PARALLEL_MIN_BLOBS && idleThread()) {
          writeDecodedInParallel(ids, h, sink);
        } else {
          for (ChunkId id : ids) {
            if (cancelled) {
              throw new Cancelled();
            }
            sink.write(chunks.read(id, locate(h, id), plain));
          }
        }
        if (sink.written != v.size()) {
          throw new RepoException("restored " + sink.written + " bytes, expected " + v.size());
        }
        digest = sink.md == null ? null : sink.md.digest();
        Optional<Path> fd = Fds.of(out);
        OptionalInt n = FdCalls.of(out);
        if (fd.isPresent() && n.isPresent()) {
          meta.apply(n.getAsInt(), fd.get(), v, f.dest().toString());
        } else {
          meta.apply(fd.orElse(d.entry(tmp)), fd.isPresent(), v, f.dest().toString());
        }
      }
      d.rename(tmp, f.rel().getFileName());
      if (digest != null) {
        check(d, f, digest);
      }
      files.incrementAndGet();
      bytes.addAndGet(v.size());
    } catch (Cancelled e) {
      deleteQuietly(d, tmp);
    } catch (IOException | RepoException e) {
      failed.incrementAndGet();
      log.error("file " + v.path() + " was not restored: " + e.getMessage());
      deleteQuietly(d, tmp);
    }
  }

  /** True when a restore thread is idle and will stay so: fewer folders are left than threads. */
  private boolean idleThread() {
    return unfinishedFolders.get() < options.threads();
  }

  /**
   * The decoders of large files, made at the first one (most restores never need them: files are
   * decoded on their folder's thread until the last folders). Its threads run no task that a
   * cancel could interrupt ({@code Schedulers.fromExecutor}): an interrupt would close the channel
   * a store reads through.
   */
  private synchronized Scheduler decoders() {
    if (decoders == null) {
      decodePool = Executors.newFixedThreadPool(options.threads(), r -> {
        Thread t = new Thread(r, "b247-decode");
        t.setDaemon(true);
        return t;
      });
      decoders = Schedulers.fromExecutor(decodePool);
    }
    return decoders;
  }

  /** Files whose blobs were decoded in parallel (see the class comment). */
  int filesDecodedInParallel() {
    return parallelFiles.get();
  }

  private static BlobLocation locate(History h, ChunkId id) {
    BlobLocation loc = h.location(id);
    if (loc == null) {
      throw new RepoException("blob " + id + " is not in the index");
    }
    return loc;
  }

  /** The temp file being written: its channel, the bytes written and (when verifying) their digest. */
  private final class Sink {
    final FileChannel out;
    final MessageDigest md;
    long written;

    Sink(FileChannel out, MessageDigest md) {
      this.out = out;
      this.md = md;
    }

    void write(ByteBuffer data) throws IOException {
      int n = data.remaining();
      int off = data.arrayOffset() + data.position();
      if (md != null) {
        md.update(data.array(), off, n);
      }
      ChannelIo.write(out, data.array(), off, n);
      written += n;
      RestoreEngine.this.written.addAndGet(n);
    }
  }

  /** A blob decoded for {@link #writeDecodedInParallel}: its plaintext, or why there is none. */
  private record Decoded(ByteBuffer data, RuntimeException error) {
  }

  /**
   * Decodes the blobs of one file on {@link #decoders}, {@code threads} at a time (fewer when its
   * largest blob times that would pass {@link #DECODE_WINDOW_BYTES}), and writes them in file order
   * as each next one is ready: {@code flatMapSequential} keeps at most that many blobs in flight or
   * waiting, and asks for the next one only after the earliest was written. A blob that fails to
   * decode is reported when its turn to be written comes (so the error is that of the first bad blob
   * of the file, and no decode error is ever dropped); a cancel stops the decodes not started yet.
   */
  private void writeDecodedInParallel(List<ChunkId> ids, History h, Sink sink) throws IOException {
    List<BlobLocation> locs = new ArrayList<>(ids.size());
    long largest = 1;
    for (ChunkId id : ids) {
      BlobLocation loc = locate(h, id);
      locs.add(loc);
      largest = Math.max(largest, loc.rawLength());
    }
    int window = (int) Math.max(1, Math.min(options.threads(), DECODE_WINDOW_BYTES / largest));
    AtomicLong held = new AtomicLong();
    Scheduler on = decoders();
    parallelFiles.incrementAndGet();
    try {
      Flux.range(0, ids.size())
          .flatMapSequential(i -> Mono.fromCallable(() -> decode(ids.get(i), locs.get(i), held))
              .subscribeOn(on), window, 1)
          .doOnNext(blob -> {
            if (blob.error() != null) {
              throw blob.error();
            }
            if (cancelled) {
              throw new Cancelled();
            }
            try {
              sink.write(blob.data());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            held.addAndGet(-blob.data().remaining());
          })
          .blockLast();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Decoded decode(ChunkId id, BlobLocation loc, AtomicLong held) {
    if (cancelled) {
      return new Decoded(null, new Cancelled());
    }
    try {
      ByteBuffer data = chunks.read(id, loc, null); // an array of its own: it waits for its turn to be written
      long now = held.addAndGet(data.remaining());
      peakHeld.accumulateAndGet(now, Math::max);
      return new Decoded(data, null);
    } catch (RuntimeException e) {
      return new Decoded(null, e);
    }
  }

  private static void deleteQuietly(TargetDir d, Path tmp) {
    try {
      d.deleteFile(tmp);
    } catch (IOException ignored) {
      // best effort: a later restore removes it
    }
  }

  /** Ends the file being written when the restore is cancelled. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Re-reads a restored file (never through a link) and compares it with what was written. */
  private void check(TargetDir d, Pending f, byte[] digest) throws IOException {
    MessageDigest md = sha256();
    long n = 0;
    try (FileChannel in = d.read(f.rel().getFileName())) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      int r;
      while ((r = in.read(buf)) >= 0) {
        buf.flip();
        md.update(buf);
        n += r;
        buf.clear();
      }
    }
    if (n != f.version().size() || !MessageDigest.isEqual(digest, md.digest())) {
      throw new RepoException("verification failed: " + f.dest() + " reads back " + n + " bytes that differ from the "
          + f.version().size() + " bytes restored");
    }
    verified.incrementAndGet();
  }

  private void symlink(TargetDir d, Pending l) throws IOException {
    Path name = l.rel().getFileName();
    BasicFileAttributes a = d.lstat(name);
    if (a != null) {
      if (a.isDirectory() && !a.isSymbolicLink()) {
        log.error("cannot restore symlink " + l.version().path() + ": a folder is in the way");
        failed.incrementAndGet();
        return;
      }
      d.deleteFile(name);
    }
    d.symlink(name, RawNames.path(l.version().target()));
    meta.apply(d.entry(name), false, l.version(), l.dest().toString());
    symlinks++;
  }

  private static final Pattern TEMP = Pattern.compile("\\.b247tmp-[0-9a-f]{1,16}");

  /** Temp files of an earlier, interrupted restore into the same folders (never under a final name). */
  private void removeLeftoverTemps(TargetDir root) {
    try (DirCursor c = new DirCursor(root, null)) {
      for (Path rel : new TreeSet<>(existing)) {
        try {
          TargetDir d = c.moveTo(rel, false);
          for (Path name : d.names()) {
            BasicFileAttributes a = TEMP.matcher(name.toString()).matches() ? d.lstat(name) : null;
            if (a != null && a.isRegularFile()) {
              d.deleteFile(name);
            }
          }
        } catch (IOException e) {
          log.warn("cannot clean temp files in " + target.resolve(rel) + ": " + e.getMessage());
        }
      }
    }
  }

  /** Guide ch. 13.2: remove what is in the target under the restored folders but not in the backup. */
  private void deleteUnmatched(TargetDir root, Set<Path> restored, Set<Path> roots) {
    if (sourceRoots.isEmpty() && target.getParent() == null) {
      // without the job's source folders, parents ("/home") cannot be told from backed-up folders
      log.error("unmatched data was not deleted: the source folders of job are unknown and the target is /");
      return;
    }
    try (DirCursor c = new DirCursor(root, null)) {
      for (Path rel : new TreeSet<>(roots)) {
        try {
          TargetDir d = c.moveTo(rel, false);
          for (Path name : d.names()) {
            if (!restored.contains(target.resolve(rel).resolve(name))) {
              d.deleteTree(name, this::countDeleted, log::warn);
            }
          }
        } catch (IOException e) {
          log.warn("unmatched data in " + target.resolve(rel) + " was not deleted: " + e.getMessage());
        }
      }
    }
  }

  private void countDeleted() {
    deleted++;
  }
}
