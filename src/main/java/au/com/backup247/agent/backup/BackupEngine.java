package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoException;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.ObjectTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One backup job to one or more repositories that share their keys and parameters: every file is
 * read, chunked, hashed, compressed and sealed once; each finished block goes to every destination
 * through its own bounded queue, so a slow destination holds the others back only as far as that
 * queue allows, and a failing destination fails alone.
 *
 * <p>Per destination the write order is blocks → index segment → manifest (FORMAT.md §6). Unchanged
 * files (size, mtime, ctime, inode) are carried forward without being read.
 */
public final class BackupEngine {
  static final DateTimeFormatter JOB_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  static final int QUEUE_BLOCKS = 1;

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
  private final ConcurrentHashMap<ChunkId, Boolean> known = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<FileVersion> versions = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<IndexSegment.Blob> newBlobs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<IndexSegment.Block> newBlocks = new ConcurrentLinkedQueue<>();
  private final Object packLock = new Object();
  private BlockWriter current;
  /** Block buffers come back here once every destination has written them (no 32 MiB garbage per block). */
  private final BlockingQueue<byte[]> bufferPool = new LinkedBlockingQueue<>();
  private final ThreadLocal<byte[]> buffers;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean statsCounted = new java.util.concurrent.atomic.AtomicBoolean();
  private List<Destination> dests;
  private String jobId;

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
    dests = new ArrayList<>();
    for (Repository r : repos) {
      dests.add(new Destination(r));
    }
    for (Destination d : dests) {
      d.prepare();
    }
    log.info("destinations prepared (locks, index) in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
        + " ms");
    List<Destination> live = dests.stream().filter(d -> d.error == null).toList();
    if (live.isEmpty()) {
      return results();
    }
    seedKnownChunks(live);
    for (Destination d : live) {
      d.start();
    }
    log.info("job " + jobId + " started; sources: " + options.sources());
    long t1 = System.nanoTime();
    scanAndStore(live);
    for (Destination d : live) {
      d.finishUploads();
    }
    log.info("files scanned and stored in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
    for (Destination d : live) {
      if (d.error == null) {
        d.commit(started, t0);
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
    for (Destination d : dests) {
      out.add(new Result(d.repo.store().name(), jobId, d.error == null, d.error, stats));
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

  /**
   * A chunk counts as stored only when every live destination has it in a block that still exists
   * (a lost block must not poison later jobs: its chunks are uploaded again).
   */
  private void seedKnownChunks(List<Destination> live) {
    Set<ChunkId> common = null;
    for (Destination d : live) {
      Set<ChunkId> ids = d.availableChunks();
      if (common == null) {
        common = ids;
      } else {
        common.retainAll(ids);
      }
    }
    for (ChunkId id : common) {
      known.put(id, Boolean.TRUE);
    }
  }

  // ------------------------------------------------------------------------------------------ scan

  private void scanAndStore(List<Destination> live) throws InterruptedException {
    int threads = options.threads();
    BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(threads * 4);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, work, r -> {
      Thread t = new Thread(r, "b247-backup-worker");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    try {
      for (Path src : options.sources()) {
        Path abs = src.toAbsolutePath().normalize();
        if (!Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          log.error("source " + abs + " does not exist");
          continue;
        }
        addParents(abs);
        walk(abs, pool);
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(365, TimeUnit.DAYS);
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
  private void addParents(Path abs) {
    List<Path> parents = new ArrayList<>();
    for (Path p = abs.getParent(); p != null && p.getParent() != null; p = p.getParent()) {
      parents.add(0, p);
    }
    for (Path p : parents) {
      try {
        SourceEntry e = SourceEntry.of(p, true);
        if (seen.add(e.key())) {
          handle(e, null);
        }
      } catch (IOException ex) {
        log.warn("cannot read " + p + ": " + ex.getMessage());
      }
    }
  }

  private void walk(Path p, ExecutorService pool) {
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
    if (!seen.add(e.key())) {
      return;
    }
    handle(e, pool);
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
      children.sort(null);
      for (Path c : children) {
        walk(c, pool);
      }
    }
  }

  private void handle(SourceEntry e, ExecutorService pool) {
    FileVersion prev = unchangedEverywhere(e);
    if (prev != null) {
      stats.filesUnchanged.incrementAndGet();
      return;
    }
    if (e.kind() == FileVersion.FILE && pool != null) {
      pool.execute(() -> storeFile(e));
    } else {
      storeEntry(e);
    }
  }

  /** The previous version when every destination has it with the same metadata; null otherwise. */
  private FileVersion unchangedEverywhere(SourceEntry e) {
    FileVersion first = null;
    for (Destination d : dests) {
      if (d.error != null) {
        continue;
      }
      FileVersion prev = d.history.current().get(e.key());
      if (prev == null || !prev.sameAs(e.size(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), e.kind())
          || prev.mode() != e.mode()
          || (first != null && (!first.chunks().equals(prev.chunks()) || !java.util.Objects.equals(first.target(), prev.target())))) {
        return null;
      }
      for (ChunkId c : prev.chunks()) {
        if (!known.containsKey(c)) {
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

  private void storeEntry(SourceEntry e) {
    String target = "";
    if (e.kind() == FileVersion.SYMLINK) {
      try {
        target = Files.readSymbolicLink(e.path()).toString();
      } catch (IOException ex) {
        log.warn("cannot read symlink " + e.path() + ": " + ex.getMessage() + "; skipped");
        return;
      }
    }
    record(e, new FileVersion(e.key(), e.kind(), 0, e.mode(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), target,
        List.of(), e.uid(), e.gid()));
  }

  private void storeFile(SourceEntry e) {
    try {
      List<ChunkId> chunks = readAndStore(e);
      record(e, new FileVersion(e.key(), FileVersion.FILE, e.size(), e.mode(), e.mtimeNanos(), e.ctimeNanos(),
          e.inode(), "", chunks, e.uid(), e.gid()));
    } catch (AccessDeniedException ex) {
      log.warn("file " + e.path() + " cannot be read (permission denied); skipped");
    } catch (NoSuchFileException ex) {
      log.warn("file " + e.path() + " vanished before it could be read; skipped");
    } catch (IOException ex) {
      log.warn("file " + e.path() + " cannot be read: " + ex.getMessage() + "; skipped");
    } catch (RuntimeException ex) {
      log.error("file " + e.path() + " failed: " + ex);
    }
  }

  private List<ChunkId> readAndStore(SourceEntry e) throws IOException {
    byte[] buf = buffers.get();
    List<ChunkId> chunks = new ArrayList<>();
    Set<ChunkId> pathKnown = options.dedup() == DedupScope.SAME_PATH ? previousChunks(e.key()) : null;
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

  /** Chunks of the previous version of {@code path} that every destination holds (scope "same path"). */
  private Set<ChunkId> previousChunks(String path) {
    Set<ChunkId> out = new HashSet<>();
    for (Destination d : dests) {
      if (d.error == null) {
        FileVersion prev = d.history.current().get(path);
        if (prev != null) {
          for (ChunkId c : prev.chunks()) {
            if (known.containsKey(c)) {
              out.add(c);
            }
          }
        }
      }
    }
    return out;
  }

  private ChunkId storeChunk(byte[] buf, int off, int len, Set<ChunkId> pathKnown) {
    ChunkId id = lead.id(buf, off, len);
    boolean isNew = switch (options.dedup()) {
      case ALL -> known.putIfAbsent(id, Boolean.TRUE) == null;
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
  private void record(SourceEntry e, FileVersion v) {
    versions.add(v);
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
      if (current.size() >= lead.config().blockSize()) {
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
    for (BlockEntry e : f.entries()) {
      newBlobs.add(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(),
          e.rawLength())));
    }
    newBlocks.add(new IndexSegment.Block(path, f.length()));
    stats.blocks.incrementAndGet();
    List<Destination> targets = dests.stream().filter(d -> d.error == null).toList();
    Shipment sh = new Shipment(path, f.bytes(), f.length(), new java.util.concurrent.atomic.AtomicInteger(
        targets.size()));
    if (targets.isEmpty()) {
      bufferPool.offer(f.bytes());
    }
    for (Destination d : targets) {
      d.offer(sh);
    }
  }

  /** A finished block on its way to the destinations; its buffer returns to the pool after the last one. */
  private record Shipment(String path, byte[] bytes, int length, java.util.concurrent.atomic.AtomicInteger pending) {
  }

  private void done(Shipment sh) {
    if (sh.pending().decrementAndGet() == 0) {
      bufferPool.offer(sh.bytes());
    }
  }

  // ---------------------------------------------------------------------------------- destination

  /** One repository's side of the job: lock, history, upload queue and thread, commit. */
  private final class Destination {
    final Repository repo;
    History history;
    RepoLock lock;
    volatile String error;
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_BLOCKS);
    final List<IndexSegment.Block> adoptedBlocks = new ArrayList<>();
    final List<IndexSegment.Blob> adoptedBlobs = new ArrayList<>();
    List<au.com.backup247.agent.repo.store.Store.StoredObject> blockListing = List.of();
    Thread uploader;
    static final Object END = new Object();

    final BlockSink sink;

    Destination(Repository repo) {
      this.repo = repo;
      this.sink = options.sinks() != null ? options.sinks().apply(repo)
          : (path, bytes, length) -> repo.store().put(path, bytes, length);
    }

    void prepare() {
      try {
        lock = RepoLock.acquire(repo.store(), jobId, options.clock());
        history = History.load(repo, null);
        blockListing = repo.store().list("blocks/"); // listed once: orphans and available chunks
        adoptOrphans();
      } catch (RepoException e) {
        fail(e.getMessage());
        release();
      }
    }

    /**
     * Blocks that no committed job lists are left by an interrupted job (written before its
     * manifest). Their blobs are adopted into this job instead of being uploaded again.
     */
    private void adoptOrphans() {
      Set<String> referenced = new HashSet<>();
      for (BlobLocation loc : history.blobs().values()) {
        referenced.add(loc.block());
      }
      for (au.com.backup247.agent.repo.store.Store.StoredObject o : blockListing) {
        if (!o.path().endsWith(".bak") || referenced.contains(o.path())) {
          continue;
        }
        try {
          List<BlockEntry> entries = au.com.backup247.agent.repo.pack.BlockReader.readHeader(repo.store(), o.path(),
              o.size(), repo.cipher(), repo.masterKey());
          adoptedBlocks.add(new IndexSegment.Block(o.path(), o.size()));
          for (BlockEntry e : entries) {
            adoptedBlobs.add(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), o.path(), e.offset(),
                e.storedLength(), e.rawLength())));
          }
        } catch (RepoException e) {
          log.warn("leftover block " + o.path() + " at " + repo.store().name() + " is unreadable and was not reused: "
              + e.getMessage());
        }
      }
      if (!adoptedBlocks.isEmpty()) {
        log.info("reusing " + adoptedBlocks.size() + " block(s) left by an interrupted job at " + repo.store().name());
      }
    }

    /** Data chunks this destination holds in blocks that exist, including adopted ones. */
    Set<ChunkId> availableChunks() {
      Set<String> blocks = new HashSet<>();
      for (au.com.backup247.agent.repo.store.Store.StoredObject o : blockListing) {
        blocks.add(o.path());
      }
      Set<ChunkId> ids = new HashSet<>();
      for (Map.Entry<ChunkId, BlobLocation> e : history.blobs().entrySet()) {
        if (e.getValue().type() == ObjectTypes.DATA && blocks.contains(e.getValue().block())) {
          ids.add(e.getKey());
        }
      }
      for (IndexSegment.Blob b : adoptedBlobs) {
        if (b.location().type() == ObjectTypes.DATA) {
          ids.add(b.id());
        }
      }
      return ids;
    }

    void start() {
      uploader = new Thread(this::uploadLoop, "b247-upload");
      uploader.setDaemon(true);
      uploader.start();
    }

    void offer(Shipment sh) {
      if (error != null) {
        done(sh);
        return;
      }
      try {
        queue.put(sh);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }

    private void uploadLoop() {
      while (true) {
        Object item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (item == END) {
          return;
        }
        Shipment sh = (Shipment) item;
        try {
          if (error == null) { // after a failure: drain, so producers never block on this destination
            CrashPoints.reach("before-block-write");
            sink.put(sh.path(), sh.bytes(), sh.length());
            CrashPoints.reach("after-block-write");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted while writing block " + sh.path());
        } catch (Exception e) {
          fail("block " + sh.path() + " could not be written: " + e.getMessage());
        } finally {
          done(sh);
        }
      }
    }

    void finishUploads() throws InterruptedException {
      queue.put(END);
      uploader.join();
    }

    void fail(String message) {
      if (error == null) {
        error = message;
        log.error("destination " + repo.store().name() + ": " + message);
      }
    }

    void commit(Instant started, long t0) {
      boolean countStats = statsCounted.compareAndSet(false, true);
      try {
        List<FileVersion> added = new ArrayList<>();
        for (FileVersion v : versions) {
          FileVersion prev = history.current().get(v.path());
          if (prev == null || !prev.equals(v)) {
            added.add(v);
            if (countStats) {
              (prev == null ? stats.filesNew : stats.filesChanged).incrementAndGet();
            }
          }
        }
        added.sort((a, b) -> a.path().compareTo(b.path()));
        List<String> ended = new ArrayList<>();
        for (String p : history.current().keySet()) {
          if (!seen.contains(p)) {
            ended.add(p);
          }
        }
        stats.filesDeleted.set(ended.size());
        List<IndexSegment.Block> blocks = new ArrayList<>(adoptedBlocks);
        blocks.addAll(newBlocks);
        List<IndexSegment.Blob> blobs = new ArrayList<>(adoptedBlobs);
        blobs.addAll(newBlobs);
        IndexSegment seg = new IndexSegment(jobId, history.jobId(), blocks, blobs, added, ended);
        CrashPoints.reach("before-index");
        String[] idx = repo.writeSegment(seg);
        CrashPoints.reach("after-index");
        Instant finished = Instant.now(options.clock());
        Props m = new Props().put("jobId", jobId).put("previousJobId", history.jobId() == null ? "" : history.jobId())
            .put("started", started.toString()).put("finished", finished.toString())
            .put("host", hostName()).put("sources", String.join(SOURCES_SEPARATOR, options.sources().stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).toList()))
            .put("index.size", idx[0]).put("index.sha256", idx[1]).put("blocks", newBlocks.size())
            .put("files.new", stats.filesNew.get()).put("files.changed", stats.filesChanged.get())
            .put("files.unchanged", stats.filesUnchanged.get()).put("files.deleted", ended.size())
            .put("bytes.read", stats.bytesRead.get()).put("bytes.new", stats.bytesNew.get())
            .put("bytes.stored", stats.bytesStored.get()).put("warnings", log.warnings())
            .put("errors", log.errors())
            .put("durationMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        CrashPoints.reach("before-manifest");
        repo.writeManifest(jobId, m);
        log.info("job " + jobId + " committed to " + repo.store().name() + ": " + stats);
      } catch (RuntimeException e) {
        fail("commit failed: " + e.getMessage());
      }
    }

    void release() {
      if (lock != null) {
        try {
          lock.close();
        } catch (RuntimeException e) {
          log.warn("cannot remove the lock at " + repo.store().name() + ": " + e.getMessage());
        }
        lock = null;
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
