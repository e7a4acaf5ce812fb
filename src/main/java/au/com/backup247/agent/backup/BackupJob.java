package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.JobIds;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoException;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.index.BinaryWriter;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.ChunkSet;
import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.fs.ScannedOpen;
import au.com.backup247.agent.fs.Xattrs;
import au.com.backup247.agent.repo.index.ExtendedAttribute;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.RawNames;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.ObjectTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The state of one backup job and its stages, independent of how they are driven: {@link #scan}
 * (walk merged with each destination's previous state), {@link FileRead} (read, chunk, hash,
 * dedupe, compress one file), {@link #pack} (seal blobs into blocks), {@link #completed} (index, in
 * walk order) and {@link #commit}. {@code pipeline.PipelineBackup} drives them as verticles over the
 * event bus, for the agent and the offline CLI alike.
 *
 * <p>Thread-safety: {@link #scan} from one thread; {@link FileRead}s from any threads;
 * {@link #pack}, {@link #record} and {@link #completed} are synchronized internally.
 */
public final class BackupJob {
  /** Entries visited but not yet written to the index (in walk order) at most. */
  public static final int WINDOW = 4096;
  static final int FILE_BATCH_BYTES = 256 * 1024;

  private final List<Repository> repos;
  private final BackupOptions options;
  private final JobLog log;
  private final JobStats stats = new JobStats();
  private final Chunker chunker;
  private final Repository lead;
  private ChunkSet known = new ChunkSet();
  private List<DestinationJob> dests = List.of();
  private String jobId;
  private Instant started;
  private long t0;
  private ScanPrefetch scan;
  private final Object packLock = new Object();
  private BlockWriter current;
  private final BlockingQueue<byte[]> bufferPool = new LinkedBlockingQueue<>();
  private final ArrayDeque<Item> window = new ArrayDeque<>();
  private final Object fileBatchLock = new Object();
  private BinaryWriter fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
  private int fileBatchCount;
  private Consumer<BlockWriter.Finished> shipper;
  private volatile boolean cancelled;
  private volatile String currentPath;
  private final AtomicLongArray uploaded;
  private String clockWarning;

  BackupJob(List<Repository> repos, BackupOptions options, JobLog log) {
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
    this.uploaded = new AtomicLongArray(repos.size());
  }

  /** A job to be driven by the agent's pipeline. */
  public static BackupJob create(List<Repository> repos, BackupOptions options, JobLog log) {
    return new BackupJob(repos, options, log);
  }

  /**
   * Picks the job id, then locks and reads each destination's index; returns false when no
   * destination is usable (see {@link #results}).
   */
  public boolean prepare() {
    t0 = System.nanoTime();
    started = Instant.now(options.clock());
    if (nothingToBackUp()) {
      return false;
    }
    scan = new ScanPrefetch(new TreeScan(options, log, stats), stats); // the walk overlaps with reading the indexes
    jobId = uniqueJobId(started);
    if (clockWarning != null) {
      log.warn("clock: " + clockWarning + "; this job is recorded as " + jobId
          + " so that jobs stay in order; check the system clock");
    }
    List<DestinationJob> ds = new ArrayList<>();
    for (Repository r : repos) {
      ds.add(new DestinationJob(r, log, options.clock()));
    }
    dests = ds;
    for (DestinationJob d : dests) {
      d.prepare(jobId);
    }
    log.info("destinations prepared (locks, index) in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
        + " ms");
    List<DestinationJob> live = live();
    if (live.isEmpty()) {
      scan.close();
      return false;
    }
    known = live.get(0).available();
    for (DestinationJob d : live.subList(1, live.size())) {
      known = known.intersect(d.available()); // stored only when every destination holds it
    }
    log.info("job " + jobId + " started; sources: " + options.sources());
    return true;
  }

  /**
   * True (every destination failed, nothing locked or written) when no source exists: a job that
   * finds nothing to back up is a failure, never an empty restore point that would end every file
   * backed up before. Sources that exist while others are missing are backed up; each missing one
   * is an error of the walk ({@link JobStats#sourceErrors}).
   */
  private boolean nothingToBackUp() {
    List<Path> sources = TreeScan.orderedSources(options.sources());
    List<Path> missing = TreeScan.missing(sources);
    if (sources.isEmpty() || missing.size() < sources.size()) {
      return false;
    }
    String why = "nothing was backed up: " + (missing.size() == 1 ? "the source folder " + missing.get(0)
        + " does not exist" : "none of the source folders exists (" + String.join(", ", missing.stream()
        .map(Path::toString).toList()) + ")") + "; check the set's source paths (is the disk or share mounted?)";
    log.error(why);
    stats.sourceErrors.addAndGet(missing.size());
    List<DestinationJob> ds = new ArrayList<>();
    for (Repository r : repos) {
      DestinationJob d = new DestinationJob(r, log, options.clock());
      d.error = why;
      ds.add(d);
    }
    dests = ds;
    return true;
  }

  List<DestinationJob> live() {
    return dests.stream().filter(d -> d.error == null).toList();
  }

  /** What to back up and how. */
  public BackupOptions options() {
    return options;
  }

  /** The destinations' repositories in order (index = destination number in {@link #failDestination}). */
  public List<Repository> repositories() {
    return repos;
  }

  public String jobId() {
    return jobId;
  }

  public JobStats stats() {
    return stats;
  }

  public JobLog log() {
    return log;
  }

  /**
   * What looked damaged or tampered with at destination {@code i} when the job started (blocks of
   * the wrong size, or whose header lists other blobs); each is also a warning in the job log.
   */
  public List<String> suspicious(int i) {
    return dests.get(i).suspicious();
  }

  /** Whether destination {@code i} is still part of the job. */
  public boolean destinationOk(int i) {
    return dests.get(i).error == null;
  }

  /** Marks destination {@code i} failed (e.g. its uploader reported an error); the others go on. */
  public void failDestination(int i, String message) {
    dests.get(i).fail(message);
  }

  /** Fails every destination still in the job (a stage common to all of them broke). */
  public void failAll(String message) {
    for (DestinationJob d : dests) {
      d.fail(message);
    }
  }

  /** Routes finished blocks: the driver decides how they reach the destinations. */
  public void shipTo(Consumer<BlockWriter.Finished> shipper) {
    this.shipper = shipper;
  }

  // ----------------------------------------------------------------------------------- scan stage

  /** One visited entry on its way to the index: its previous version at each destination and the result. */
  public static final class Item {
    final SourceEntry entry;
    final FileVersion[] prevs;
    FileVersion result; // null: not stored (unreadable, vanished); the previous version stays current
    boolean done;

    Item(SourceEntry entry, FileVersion[] prevs) {
      this.entry = entry;
      this.prevs = prevs;
    }

    /** True for a regular file (its content must be read); false for folders and symlinks. */
    public boolean isFile() {
      return entry.kind() == FileVersion.FILE;
    }

    public String path() {
      return entry.key();
    }
  }

  /**
   * The next entry that must be stored (new, or changed at some destination), or null when the walk
   * is over; unchanged entries are counted and carried forward without being read. The item is
   * already in the index window: the caller must pass it to {@link #completed} exactly once.
   * Returns null as well when the window is full (check {@link #windowFull}).
   */
  public Item scan() {
    while (true) {
      if (cancelled) {
        return null;
      }
      SourceEntry e = scan.next();
      if (e == null) {
        return null;
      }
      FileVersion[] prevs = new FileVersion[dests.size()];
      for (int i = 0; i < prevs.length; i++) {
        prevs[i] = dests.get(i).advanceTo(e.key());
      }
      if (unchangedEverywhere(e, prevs) != null) {
        stats.filesUnchanged.incrementAndGet();
        stats.entriesDone.incrementAndGet();
        stats.bytesDone.addAndGet(e.size());
        continue;
      }
      Item it = new Item(e, prevs);
      currentPath = e.key();
      synchronized (window) {
        window.addLast(it);
      }
      return it;
    }
  }

  /**
   * Stops the walk: {@link #scan} returns null from now on and every {@link FileRead} stops at its
   * next chunk (a large file is not read to its end), so the driver ends the files in flight at
   * once and then calls {@link #commit}, which commits nothing (a partial walk would end every path
   * it did not reach). Blocks already uploaded stay as leftovers that the next job adopts. Safe
   * from any thread.
   */
  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Block bytes written to destination {@code i} so far (progress; the uploader counts them). */
  public long uploaded(int i) {
    return uploaded.get(i);
  }

  /** Counts {@code bytes} more written to destination {@code i}. */
  public void addUploaded(int i, long bytes) {
    uploaded.addAndGet(i, bytes);
  }

  /** The last path the walk handed out for storing (for progress reports), or null. */
  public String currentPath() {
    return currentPath;
  }

  /** Items scanned and not yet written to the index. */
  public int inWindow() {
    synchronized (window) {
      return window.size();
    }
  }

  /** Stores a folder or symlink entry (no content to read); returns its version or null when skipped. */
  public FileVersion storeEntry(Item it) {
    SourceEntry e = it.entry;
    String target = "";
    if (e.kind() == FileVersion.SYMLINK) {
      try {
        target = RawNames.of(Files.readSymbolicLink(e.path()));
      } catch (IOException ex) {
        log.warn("cannot read symlink " + e.path() + ": " + ex.getMessage() + "; skipped");
        return null;
      }
    }
    FileVersion v = new FileVersion(e.key(), e.kind(), 0, e.mode(), e.mtimeNanos(), e.ctimeNanos(), e.inode(), target,
        List.of(), e.uid(), e.gid(), e.xattrs());
    record(v);
    return v;
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
        if (!RawNames.of(Files.readSymbolicLink(e.path())).equals(String.valueOf(first.target()))) {
          return null;
        }
      } catch (IOException ex) {
        return null;
      }
    }
    return first;
  }

  // ---------------------------------------------------------------------------------- chunk stage

  /** A chunk to be stored: its id, compressed body (codec byte first) and plaintext length. */
  public record NewBlob(ChunkId id, byte[] body, int rawLength) {
  }

  /** Buffer size a {@link FileRead} needs: the largest chunk, plus 1 MiB so every refill reads at least that. */
  public int readBufferSize() {
    return chunker.maxSize() + (1 << 20);
  }

  /**
   * Reads one file chunk by chunk, pulled with {@link #next}: each call returns the next chunk that
   * must be stored (new for the dedup scope), skipping known ones, until the file ends. Then
   * {@link #finish} gives the version. Errors reading the file are warnings: the file is skipped.
   */
  public final class FileRead implements AutoCloseable {
    private final Item item;
    private final byte[] buf;
    private final List<ChunkId> chunks = new ArrayList<>();
    private final Set<ChunkId> pathKnown;
    private FileChannel ch;
    private List<ExtendedAttribute> xattrs = List.of();
    private int start;
    private int end;
    private boolean eof;
    private long total;
    private boolean failed;

    public FileRead(Item item, byte[] buffer) {
      this.item = item;
      this.buf = buffer;
      this.pathKnown = options.dedup() == DedupScope.SAME_PATH ? previousChunks(item.prevs) : null;
    }

    /**
     * The next chunk to store, or null at the end of the file (or when it could not be read, or
     * the job was cancelled: a cancel is seen at the next chunk, one volatile read per chunk).
     */
    public NewBlob next() {
      if (failed) {
        return null;
      }
      try {
        if (ch == null) {
          SourceEntry e = item.entry;
          ch = ScannedOpen.open(e.path(), e.dev(), e.inode(), options.followLinks());
          Optional<Path> fd = Fds.of(ch);
          xattrs = Xattrs.read(fd.orElse(e.path()), fd.isPresent(), log::warn);
        }
        while (true) {
          if (cancelled) {
            failed = true; // not stored, and no warning: nothing of a cancelled job is committed
            return null;
          }
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
            int n = bb.position() - end;
            total += n;
            stats.bytesRead.addAndGet(n);
            stats.bytesDone.addAndGet(n);
            end = bb.position();
          }
          if (start == end) {
            return null;
          }
          int off = start;
          int cut = chunker.nextCut(buf, start, end - start);
          start += cut;
          ChunkId id = lead.id(buf, off, cut);
          chunks.add(id);
          boolean isNew = switch (options.dedup()) {
            case ALL -> known.add(id);
            case SAME_PATH -> pathKnown.add(id);
            case OFF -> true;
          };
          if (isNew) {
            stats.bytesNew.addAndGet(cut);
            return new NewBlob(id, lead.compressor().body(buf, off, cut), cut);
          }
        }
      } catch (ScannedOpen.ReplacedException ex) {
        fail(ex.getMessage());
      } catch (AccessDeniedException ex) {
        fail("file " + item.entry.path() + " cannot be read (permission denied); skipped");
      } catch (NoSuchFileException ex) {
        fail("file " + item.entry.path() + " vanished before it could be read; skipped");
      } catch (IOException ex) {
        fail("file " + item.entry.path() + " cannot be read: " + ex.getMessage() + "; skipped");
      } catch (RuntimeException ex) {
        failed = true;
        stats.sourceErrors.incrementAndGet();
        log.error("file " + item.entry.path() + " failed: " + ex);
      }
      return null;
    }

    private void fail(String message) {
      failed = true;
      log.warn(message);
    }

    /** The version read (its FILE record is queued for a block), or null when the file was skipped. */
    public FileVersion finish() {
      close();
      SourceEntry e = item.entry;
      stats.bytesDone.addAndGet(e.size() - total); // done: the file counts with the size the walk found
      if (failed) {
        return null;
      }
      if (total != e.size()) {
        log.warn("file " + e.path() + " changed size while being read (" + e.size() + " → " + total
            + " bytes); the version stored is what was read");
      }
      FileVersion v = new FileVersion(e.key(), FileVersion.FILE, total, e.mode(), e.mtimeNanos(), e.ctimeNanos(),
          e.inode(), "", chunks, e.uid(), e.gid(), xattrs);
      record(v);
      return v;
    }

    @Override
    public void close() {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // read-only channel
        }
        ch = null;
      }
    }
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

  // ----------------------------------------------------------------------------------- seal stage

  /**
   * Seals a blob into the one open block; a full block goes to the shipper (outside the lock).
   * Compression and hashing happen before, in parallel; sealing is fast, so one shared block keeps
   * memory at one block instead of one per thread.
   */
  public void pack(NewBlob b) {
    BlockEntry entry = pack(ObjectTypes.DATA, b.id(), b.body(), b.rawLength());
    stats.bytesStored.addAndGet(entry.storedLength());
  }

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

  /** Adds a version's FILE record to the batch that goes into a block (so the index can be rebuilt from blocks). */
  void record(FileVersion v) {
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

  private byte[] takeFileBatch() {
    if (fileBatchCount == 0) {
      return null;
    }
    BinaryWriter w = new BinaryWriter(fileBatch.size() + 8);
    w.varint(fileBatchCount);
    w.bytes(fileBatch.toByteArray());
    fileBatch = new BinaryWriter(FILE_BATCH_BYTES + 4096);
    fileBatchCount = 0;
    return w.toByteArray();
  }

  private void packFileBatch(byte[] plain) {
    pack(ObjectTypes.FILE, new ChunkId(au.com.backup247.agent.repo.Hashes.sha256(plain)),
        lead.compressor().body(plain, 0, plain.length), plain.length);
  }

  /** Packs the last FILE records and ships the last, partly filled block. Call once, after every file. */
  public void finishPacking() {
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

  /** The path a finished block is stored under. */
  public String blockPath(BlockWriter.Finished f) {
    return "blocks/" + jobId + "/" + f.name() + ".bak";
  }

  /** Lists a finished block in every live destination's index, then hands it to the shipper. */
  private void ship(BlockWriter.Finished f) {
    String path = blockPath(f);
    List<IndexSegment.Blob> blobs = new ArrayList<>(f.entries().size());
    for (BlockEntry e : f.entries()) {
      blobs.add(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(),
          e.rawLength())));
    }
    IndexSegment.Block block = new IndexSegment.Block(path, f.length());
    stats.blocks.incrementAndGet();
    for (DestinationJob d : live()) {
      d.shipped(block, blobs);
    }
    shipper.accept(f);
  }

  /** Gives a block buffer back once every destination is done with it. */
  public void recycle(byte[] buffer) {
    bufferPool.offer(buffer);
  }

  // ---------------------------------------------------------------------------------- index stage

  /**
   * Records the result of an item (null: skipped) and writes every finished item at the head of the
   * window to each destination's index, in walk order. Returns how many items left the window.
   */
  public int completed(Item it, FileVersion result) {
    int moved = 0;
    synchronized (window) {
      it.result = result;
      it.done = true;
      while (!window.isEmpty() && window.peekFirst().done) {
        stats.entriesDone.incrementAndGet();
        Item s = window.pollFirst();
        moved++;
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
    }
    return moved;
  }

  // ---------------------------------------------------------------------------------------- commit

  /**
   * Commits every destination that is still fine (its blocks must all be written by now): ends the
   * paths the walk did not reach, finishes its index segment (and checkpoint), writes its manifest;
   * then releases the locks. Returns each destination's result.
   */
  public List<BackupResult> commit() {
    if (inWindow() != 0) {
      throw new IllegalStateException("entries left in the window at commit");
    }
    if (cancelled) {
      for (DestinationJob d : dests) {
        if (d.error == null) {
          d.error = "cancelled";
        }
      }
      log.info("job " + jobId + " cancelled: nothing committed; blocks already written are reused by the next job");
      return release();
    }
    Props manifest = new Props().put("jobId", jobId).put("started", started.toString())
        .put("host", hostName())
        .put("sources", String.join(au.com.backup247.agent.repo.Manifest.SOURCES_SEPARATOR, options.sources().stream()
            .map(p -> p.toAbsolutePath().normalize().toString()).toList()))
        .put("blocks", stats.blocks.get()).put("files.new", stats.filesNew.get())
        .put("files.changed", stats.filesChanged.get()).put("files.unchanged", stats.filesUnchanged.get())
        .put("bytes.read", stats.bytesRead.get()).put("bytes.new", stats.bytesNew.get())
        .put("bytes.stored", stats.bytesStored.get()).put("warnings", log.warnings()).put("errors", log.errors());
    boolean first = true;
    for (DestinationJob d : dests) {
      if (d.error == null) {
        d.commit(jobId, manifest, t0, stats, first);
        first = false;
      }
    }
    return release();
  }

  /** Releases every lock; returns each destination's result. */
  public List<BackupResult> release() {
    if (scan != null) {
      scan.close();
    }
    for (DestinationJob d : dests) {
      d.release();
    }
    return results();
  }

  public List<BackupResult> results() {
    List<BackupResult> out = new ArrayList<>();
    for (DestinationJob d : dests) {
      out.add(new BackupResult(d.name(), jobId, d.error == null, d.error, stats));
    }
    return out;
  }

  /**
   * The job id: never before the newest job at any destination ({@link JobIds#next}); notes when
   * the clock looks set back or far ahead ({@link #clockWarning()}).
   */
  private String uniqueJobId(Instant t) {
    Set<String> existing = new HashSet<>();
    for (Repository r : repos) {
      try {
        existing.addAll(r.jobIds());
      } catch (RepoException e) {
        // reported when the destination is prepared
      }
    }
    String newest = existing.stream().max(String::compareTo).orElse(null);
    clockWarning = JobIds.implausible(t, newest, JobIds.time(newest));
    return JobIds.next(t, existing);
  }

  /**
   * Why the clock looked wrong when the job started (before the newest job, or implausibly far
   * after it; TEST-MATRIX R16), or null. The job warns; the agent also blocks retention for the
   * destinations until a user confirms.
   */
  public String clockWarning() {
    return clockWarning;
  }

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  List<DestinationJob> destinations() {
    return dests;
  }
}
