package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoException;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.ChunkSet;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.PathOrder;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.ObjectTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One backup job to one or more repositories that share their keys and parameters: every file is
 * read, chunked, hashed, compressed and sealed once; each finished block goes to every destination
 * through its own bounded queue, so a slow destination holds the others back only as far as that
 * queue allows, and a failing destination fails alone.
 *
 * <p>The walk visits paths in {@link PathOrder} order and merges them with each destination's
 * previous state, streamed from its index (checkpoint + later segments): unchanged files (size,
 * mtime, ctime, inode) are carried forward without being read, paths the walk passes by have
 * ended, and new versions go, in walk order, into the index segment written part by part. Memory
 * is bounded by the window of entries in flight, one block, one index part per stream and the set
 * of chunk ids — not by the number of files. Per destination the write order is blocks → index
 * segment (→ checkpoint) → manifest (FORMAT.md §6).
 */
public final class BackupEngine {
  static final DateTimeFormatter JOB_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  /** Entries visited but not yet written to the index (in walk order) at most. */
  static final int WINDOW = 4096;

  /** Deduplication scope (guide ch. 9.5): all files of the set, the same path only, or off. */
  public enum DedupScope { ALL, SAME_PATH, OFF }

  /**
   * Where a destination's finished blocks go. The default writes them to the repository's store
   * from the destination's upload thread; the agent plugs in {@code pipeline.BusBlockSink}, which
   * hands them to that destination's {@code UploaderVerticle} over the event bus. {@code put}
   * returns once the block is durably written and throws when it could not be.
   */
  @FunctionalInterface
  public interface BlockSink {
    void put(String path, byte[] bytes, int length) throws Exception;
  }

  /** What to back up and how. */
  public record Options(List<Path> sources, boolean followLinks, int threads, Clock clock, List<Filter> filters,
      DedupScope dedup, java.util.function.Function<Repository, BlockSink> sinks) {
    public Options(List<Path> sources, boolean followLinks, int threads, Clock clock) {
      this(sources, followLinks, threads, clock, List.of(), DedupScope.ALL, null);
    }

    public Options(List<Path> sources, boolean followLinks, int threads, Clock clock, List<Filter> filters,
        DedupScope dedup) {
      this(sources, followLinks, threads, clock, filters, dedup, null);
    }

    public static Options of(List<Path> sources) {
      return new Options(sources, false, Math.max(1, Runtime.getRuntime().availableProcessors()), Clock.systemUTC());
    }
  }

  /** The outcome at one destination. */
  public record Result(String destination, String jobId, boolean ok, String error, JobStats stats) {
  }

  private final List<Repository> repos;
  private final Options options;
  private final JobLog log;
  private final JobStats stats = new JobStats();
  private final Chunker chunker;
  private final Repository lead;
  private ChunkSet known = new ChunkSet();
  private final Object packLock = new Object();
  private BlockWriter current;
  /** Block buffers come back here once every destination has written them (no 32 MiB garbage per block). */
  private final BlockingQueue<byte[]> bufferPool = new LinkedBlockingQueue<>();
  private final ThreadLocal<byte[]> buffers;
  private List<DestinationJob> dests = List.of();
  private String jobId;
  /** Visited entries waiting for their turn to be written to the index, oldest first. */
  private final ArrayDeque<Slot> window = new ArrayDeque<>();
  private final ReentrantLock windowLock = new ReentrantLock();
  private final Condition windowRoom = windowLock.newCondition();
  private String lastKey;

  public BackupEngine(List<Repository> repos, Options options, JobLog log) {
    if (repos.isEmpty()) {
      throw new IllegalArgumentException("at least one repository is needed");
    }
    this.repos = repos;
    this.options = options;
    this.log = log;
    this.lead = repos.get(0);
    for (Repository r : repos.subList(1, repos.size())) {
      if (!lead.sharesBlocksWith(r)) {
        throw new RepoException("repositories " + lead.store().name() + " and " + r.store().name()
            + " have different keys or parameters; one backup can write to several repositories only when they were "
            + "created with the same key (repo init --like " + lead.store().name() + ")");
      }
    }
    this.chunker = lead.chunker();
    int bufSize = Math.max(chunker.maxSize() * 2, 1 << 20);
    this.buffers = ThreadLocal.withInitial(() -> new byte[bufSize]);
  }

  /** Runs the job; never throws for a destination's failure — see each {@link Result}. */
  public List<Result> run() throws InterruptedException {
    long t0 = System.nanoTime();
    Instant started = Instant.now(options.clock());
    jobId = uniqueJobId(started);
    List<DestinationJob> ds = new ArrayList<>();
    for (Repository r : repos) {
      ds.add(new DestinationJob(r, log, options.sinks() != null ? options.sinks().apply(r) : null, options.clock()));
    }
    dests = ds;
    for (DestinationJob d : dests) {
      d.prepare(jobId);
    }
    log.info("destinations prepared (locks, index) in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
        + " ms");
    List<DestinationJob> live = dests.stream().filter(d -> d.error == null).toList();
    if (live.isEmpty()) {
      return results();
    }
    known = live.get(0).available();
    for (DestinationJob d : live.subList(1, live.size())) {
      known = known.intersect(d.available()); // stored only when every destination holds it
    }
    for (DestinationJob d : live) {
      d.start();
    }
    log.info("job " + jobId + " started; sources: " + options.sources());
    long t1 = System.nanoTime();
    scanAndStore();
    for (DestinationJob d : live) {
      d.finishUploads();
    }
    log.info("files scanned and stored in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
    Props manifest = new Props().put("jobId", jobId).put("started", started.toString()).put("host", hostName())
        .put("sources", String.join(SOURCES_SEPARATOR, options.sources().stream()
            .map(p -> p.toAbsolutePath().normalize().toString()).toList()))
        .put("blocks", stats.blocks.get()).put("files.new", stats.filesNew.get())
        .put("files.changed", stats.filesChanged.get()).put("files.unchanged", stats.filesUnchanged.get())
        .put("bytes.read", stats.bytesRead.get()).put("bytes.new", stats.bytesNew.get())
        .put("bytes.stored", stats.bytesStored.get()).put("warnings", log.warnings()).put("errors", log.errors());
    boolean first = true;
    for (DestinationJob d : live) {
      if (d.error == null) {
        d.commit(jobId, manifest, t0, stats, first);
        first = false;
      }
      d.release();
    }
    return results();
  }

  public JobStats stats() {
    return stats;
  }

  public String jobId() {
    return jobId;
  }

  private List<Result> results() {
    List<Result> out = new ArrayList<>();
    for (DestinationJob d : dests) {
      out.add(new Result(d.name(), jobId, d.error == null, d.error, stats));
    }
    return out;
  }

  private String uniqueJobId(Instant t) {
    String base = JOB_ID.format(t);
    Set<String> existing = new HashSet<>();
    for (Repository r : repos) {
      try {
        existing.addAll(r.jobIds());
      } catch (RepoException e) {
        // reported when the destination is prepared
      }
    }
    String id = base;
    for (int i = 1; existing.contains(id); i++) {
      id = base + "-" + i;
    }
    return id;
  }

  // ------------------------------------------------------------------------------------------ scan

  /** One visited entry on its way to the index: its previous version at each destination and the result. */
  private static final class Slot {
    final SourceEntry entry;
    final FileVersion[] prevs;
    FileVersion result; // null: not stored (unreadable, vanished); the previous version stays current
    boolean done;

    Slot(SourceEntry entry, FileVersion[] prevs) {
      this.entry = entry;
      this.prevs = prevs;
    }
  }

  /** The sources in path order, without any that lies inside another. */
  private List<Path> orderedSources() {
    List<Path> abs = new ArrayList<>();
    for (Path p : options.sources()) {
      abs.add(p.toAbsolutePath().normalize());
    }
    abs.sort(Comparator.comparing(SourceEntry::key, PathOrder.COMPARATOR));
    List<Path> out = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    outer:
    for (Path p : abs) {
      String k = SourceEntry.key(p);
      for (String o : keys) {
        if (k.equals(o) || k.startsWith(o.endsWith("/") ? o : o + "/")) {
          continue outer;
        }
      }
      keys.add(k);
      out.add(p);
    }
    return out;
  }

  private void scanAndStore() throws InterruptedException {
    int threads = options.threads();
    BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(threads * 4);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, work, r -> {
      Thread t = new Thread(r, "b247-backup-worker");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    try {
      for (Path abs : orderedSources()) {
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
          log.error("source " + abs + " does not exist");
          continue;
        }
        addParents(abs);
        walk(abs, pool, true);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(365, TimeUnit.DAYS);
    }
    windowLock.lock();
    try {
      drainWindow();
      if (!window.isEmpty()) {
        throw new IllegalStateException("entries left in the window after the scan");
      }
    } finally {
      windowLock.unlock();
    }
    byte[] batch;
    synchronized (fileBatchLock) {
      batch = takeFileBatch();
    }
    if (batch != null) {
      packFileBatch(batch);
    }
    BlockWriter.Finished last = null;
    synchronized (packLock) {
      if (current != null && !current.isEmpty()) {
        last = current.finish();
      }
      current = null;
    }
    if (last != null) {
      ship(last);
    }
  }

  /** Records the folders above a source so a restore can recreate their modes and times. */
  private void addParents(Path abs) throws InterruptedException {
    List<Path> parents = new ArrayList<>();
    for (Path p = abs.getParent(); p != null && p.getParent() != null; p = p.getParent()) {
      parents.add(0, p);
    }
    for (Path p : parents) {
      if (lastKey != null && PathOrder.compare(lastKey, SourceEntry.key(p)) >= 0) {
        continue; // recorded for an earlier source
      }
      try {
        visit(SourceEntry.of(p, true), null);
      } catch (IOException ex) {
        log.warn("cannot read " + p + ": " + ex.getMessage());
      }
    }
  }

  private void walk(Path p, ExecutorService pool, boolean source) throws InterruptedException {
    SourceEntry e;
    try {
      e = SourceEntry.of(p, options.followLinks());
    } catch (NoSuchFileException ex) {
      return; // vanished during the scan
    } catch (IOException ex) {
      log.warn("cannot read the metadata of " + p + ": " + ex.getMessage() + "; skipped");
      return;
    }
    if (e.kind() == SourceEntry.OTHER) {
      log.warn(p + " is not a file, folder or symlink (FIFO, socket or device); skipped");
      return;
    }
    if (!options.filters().isEmpty() && !Filter.included(options.filters(), e.path().toAbsolutePath().normalize(),
        e.kind() == FileVersion.FOLDER)) {
      return; // filtered out (a folder with everything below it)
    }
    if (lastKey != null && PathOrder.compare(lastKey, e.key()) >= 0) {
      if (!source) {
        log.warn(p + " has the same stored name as " + lastKey + " (a file name that is not valid UTF-8?); skipped");
      }
      return;
    }
    visit(e, pool);
    if (e.kind() == FileVersion.FOLDER) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) {
          children.add(c);
        }
      } catch (AccessDeniedException ex) {
        log.warn("folder " + p + " cannot be read (permission denied); its contents were skipped");
        return;
      } catch (IOException ex) {
        log.warn("folder " + p + " cannot be read: " + ex.getMessage() + "; its contents were skipped");
        return;
      }
      children.sort(Comparator.comparing(c -> c.getFileName().toString()));
      for (Path c : children) {
        walk(c, pool, false);
      }
    }
  }

  /** Merges one entry with the previous states and stores it unless it is unchanged everywhere. */
  private void visit(SourceEntry e, ExecutorService pool) throws InterruptedException {
    lastKey = e.key();
    FileVersion[] prevs = new FileVersion[dests.size()];
    for (int i = 0; i < prevs.length; i++) {
      prevs[i] = dests.get(i).advanceTo(e.key());
    }
    if (unchangedEverywhere(e, prevs) != null) {
      stats.filesUnchanged.incrementAndGet();
      return;
    }
    Slot s = new Slot(e, prevs);
    windowLock.lock();
    try {
      while (window.size() >= WINDOW) {
        windowRoom.await();
      }
      window.addLast(s);
    } finally {
      windowLock.unlock();
    }
    if (e.kind() == FileVersion.FILE && pool != null) {
      pool.execute(() -> complete(s, storeFile(s)));
    } else {
      complete(s, storeEntry(e));
    }
  }

  private void complete(Slot s, FileVersion result) {
    windowLock.lock();
    try {
      s.result = result;
      s.done = true;
      drainWindow();
    } finally {
      windowLock.unlock();
    }
  }

  /** Writes finished entries at the head of the window to each destination's index, in walk order. */
  private void drainWindow() {
    boolean moved = false;
    while (!window.isEmpty() && window.peekFirst().done) {
      Slot s = window.pollFirst();
      moved = true;
      if (s.result == null) {
        continue;
      }
      boolean counted = false;
      for (int i = 0; i < dests.size(); i++) {
        DestinationJob d = dests.get(i);
        if (d.error == null && d.added(s.result, s.prevs[i]) && !counted) {
          (s.prevs[i] == null ? stats.filesNew : stats.filesChanged).incrementAndGet();
          counted = true;
        }
      }
    }
    if (moved) {
      windowRoom.signalAll();
    }
  }

  /** The previous version when every destination has it with the same metadata; null otherwise. */
  private FileVersion unchangedEverywhere(SourceEntry e, FileVersion[] prevs) {
    FileVersion first = null;
    for (int i = 0; i < prevs.length; i++) {
      if (dests.get(i).error != null) {
        continue;
      }
      FileVersion prev = prevs[i];
      if (prev == null || !prev.sameAs(e.size(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), e.kind())
          || prev.mode() != e.mode()
          || (first != null && (!first.chunks().equals(prev.chunks()) || !Objects.equals(first.target(), prev.target())))) {
        return null;
      }
      for (ChunkId c : prev.chunks()) {
        if (!known.contains(c)) {
          return null; // its data is gone from a destination: read the file again
        }
      }
      first = prev;
    }
    if (first != null && e.kind() == FileVersion.SYMLINK) {
      try {
        if (!Files.readSymbolicLink(e.path()).toString().equals(String.valueOf(first.target()))) {
          return null;
        }
      } catch (IOException ex) {
        return null;
      }
    }
    return first;
  }

  private FileVersion storeEntry(SourceEntry e) {
    String target = "";
    if (e.kind() == FileVersion.SYMLINK) {
      try {
        target = Files.readSymbolicLink(e.path()).toString();
      } catch (IOException ex) {
        log.warn("cannot read symlink " + e.path() + ": " + ex.getMessage() + "; skipped");
        return null;
      }
    }
    FileVersion v = new FileVersion(e.key(), e.kind(), 0, e.mode(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), target,
        List.of(), e.uid(), e.gid());
    record(v);
    return v;
  }

  private FileVersion storeFile(Slot s) {
    SourceEntry e = s.entry;
    try {
      List<ChunkId> chunks = readAndStore(e, s.prevs);
      FileVersion v = new FileVersion(e.key(), FileVersion.FILE, e.size(), e.mode(), e.mtimeNanos(), e.ctimeNanos(),
          e.inode(), "", chunks, e.uid(), e.gid());
      record(v);
      return v;
    } catch (AccessDeniedException ex) {
      log.warn("file " + e.path() + " cannot be read (permission denied); skipped");
    } catch (NoSuchFileException ex) {
      log.warn("file " + e.path() + " vanished before it could be read; skipped");
    } catch (IOException ex) {
      log.warn("file " + e.path() + " cannot be read: " + ex.getMessage() + "; skipped");
    } catch (RuntimeException ex) {
      log.error("file " + e.path() + " failed: " + ex);
    }
    return null;
  }

  private List<ChunkId> readAndStore(SourceEntry e, FileVersion[] prevs) throws IOException {
    byte[] buf = buffers.get();
    List<ChunkId> chunks = new ArrayList<>();
    Set<ChunkId> pathKnown = options.dedup() == DedupScope.SAME_PATH ? previousChunks(prevs) : null;
    long total = 0;
    try (FileChannel ch = FileChannel.open(e.path(), StandardOpenOption.READ)) {
      int start = 0;
      int end = 0;
      boolean eof = false;
      while (true) {
        if (!eof && end - start < chunker.maxSize()) {
          if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
          }
          ByteBuffer bb = ByteBuffer.wrap(buf, end, buf.length - end);
          while (bb.hasRemaining()) {
            int n = ch.read(bb);
            if (n < 0) {
              eof = true;
              break;
            }
          }
          total += bb.position() - end;
          end = bb.position();
        }
        if (start == end) {
          break;
        }
        int cut = chunker.nextCut(buf, start, end - start);
        chunks.add(storeChunk(buf, start, cut, pathKnown));
        start += cut;
      }
    }
    stats.bytesRead.addAndGet(total);
    if (total != e.size()) {
      log.warn("file " + e.path() + " changed size while being read (" + e.size() + " → " + total
          + " bytes); the version stored is what was read");
    }
    return chunks;
  }

  /** Chunks of the previous versions that every destination holds (scope "same path"). */
  private Set<ChunkId> previousChunks(FileVersion[] prevs) {
    Set<ChunkId> out = new HashSet<>();
    for (int i = 0; i < prevs.length; i++) {
      if (dests.get(i).error == null && prevs[i] != null) {
        for (ChunkId c : prevs[i].chunks()) {
          if (known.contains(c)) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }

  private ChunkId storeChunk(byte[] buf, int off, int len, Set<ChunkId> pathKnown) {
    ChunkId id = lead.id(buf, off, len);
    boolean isNew = switch (options.dedup()) {
      case ALL -> known.add(id);
      case SAME_PATH -> pathKnown.add(id);
      case OFF -> true;
    };
    if (isNew) {
      byte[] body = lead.compressor().body(buf, off, len);
      BlockEntry entry = pack(ObjectTypes.DATA, id, body, len);
      stats.bytesNew.addAndGet(len);
      stats.bytesStored.addAndGet(entry.storedLength());
    }
    return id;
  }

  /** Adds the version to the job and its FILE record to a block (so the index can be rebuilt from blocks). */
  private void record(FileVersion v) {
    byte[] full = null;
    synchronized (fileBatchLock) {
      v.encode(fileBatch);
      fileBatchCount++;
      if (fileBatch.size() >= FILE_BATCH_BYTES) {
        full = takeFileBatch();
      }
    }
    if (full != null) {
      packFileBatch(full);
    }
  }

  /** FILE records go into blocks in batches (FORMAT.md §5): one blob per ~256 KiB of records. */
  static final int FILE_BATCH_BYTES = 256 * 1024;
  private final Object fileBatchLock = new Object();
  private BinaryWriter fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
  private int fileBatchCount;

  private byte[] takeFileBatch() {
    if (fileBatchCount == 0) {
      return null;
    }
    BinaryWriter w = new BinaryWriter(fileBatch.size() + 8);
    w.varint(fileBatchCount);
    byte[] records = fileBatch.toByteArray();
    w.bytes(records);
    fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
    fileBatchCount = 0;
    return w.toByteArray();
  }

  private void packFileBatch(byte[] plain) {
    pack(ObjectTypes.FILE, new ChunkId(au.com.backup247.agent.repo.Hashes.sha256(plain)),
        lead.compressor().body(plain, 0, plain.length), plain.length);
  }

  /**
   * Seals a blob into the one open block (compression and hashing happen before, in parallel;
   * sealing is fast, so one shared block keeps memory at one block instead of one per thread).
   */
  private BlockEntry pack(int type, ChunkId id, byte[] body, int rawLength) {
    BlockWriter.Finished full = null;
    BlockEntry entry;
    synchronized (packLock) {
      if (current == null) {
        byte[] b = bufferPool.poll();
        current = b != null && b.length >= lead.blockBufferSize() ? lead.newBlockWriter(b) : lead.newBlockWriter();
      }
      entry = current.add(type, id, body, rawLength);
      if (current.size() >= lead.config().blockSize() || current.count() >= BlockWriter.MAX_BLOBS) {
        full = current.finish();
        current = null;
      }
    }
    if (full != null) {
      ship(full);
    }
    return entry;
  }

  private void ship(BlockWriter.Finished f) {
    String path = "blocks/" + jobId + "/" + f.name() + ".bak";
    List<IndexSegment.Blob> blobs = new ArrayList<>(f.entries().size());
    for (BlockEntry e : f.entries()) {
      blobs.add(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(),
          e.rawLength())));
    }
    IndexSegment.Block block = new IndexSegment.Block(path, f.length());
    stats.blocks.incrementAndGet();
    List<DestinationJob> targets = dests.stream().filter(d -> d.error == null).toList();
    Shipment sh = new Shipment(path, f.bytes(), f.length(), targets.size());
    if (targets.isEmpty()) {
      bufferPool.offer(f.bytes());
    }
    for (DestinationJob d : targets) {
      d.shipped(block, blobs);
      d.offer(sh);
    }
  }

  /** A finished block on its way to the destinations; its buffer returns to the pool after the last one. */
  final class Shipment {
    private final String path;
    private final byte[] bytes;
    private final int length;
    private final AtomicInteger pending;

    Shipment(String path, byte[] bytes, int length, int destinations) {
      this.path = path;
      this.bytes = bytes;
      this.length = length;
      this.pending = new AtomicInteger(destinations);
    }

    String path() {
      return path;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }

    /** One destination is done with it (written or failed). */
    void done() {
      if (pending.decrementAndGet() == 0) {
        bufferPool.offer(bytes);
      }
    }
  }

  static final String SOURCES_SEPARATOR = "|";

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
