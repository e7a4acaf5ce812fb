package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.IndexChain;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkSet;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.StateCursor;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockReader;
import au.com.backup247.agent.repo.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.function.Consumer;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.IndexStreams;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One repository's side of a backup job: its lock, the previous state streamed from its index
 * (checkpoint + later segments), the index segment written part by part while the job runs, and the
 * commit (FORMAT.md §5, §6); its blocks are written by the pipeline's uploader for it. Memory: one
 * part per index stream, the set of chunk ids the repository holds, the set of block names.
 */
final class DestinationJob {
  /** Temporary uploads older than this are leftovers of interrupted transfers. */
  static final java.time.Duration TEMP_GRACE = java.time.Duration.ofDays(1);

  final Repository repo;
  private final JobLog log;
  private final Clock clock;
  volatile String error;
  private RepoLock lock;
  private IndexChain chain;
  private StateCursor previous;
  private IndexPartWriter segment;
  /** Data chunks held in blocks that exist (including blocks adopted from an interrupted job). */
  private ChunkSet available;
  private long ended;
  private long addedCount;
  /** Blocks of earlier jobs the index refers to that existed when the job started, path → size. */
  private final Map<String, Long> stored = new HashMap<>();
  private final List<String> suspicious = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Blocks this job sent here, path → size, for the data validation check (guide ch. 11.3). */
  private final Map<String, Long> sent = new ConcurrentHashMap<>();

  DestinationJob(Repository repo, JobLog log, Clock clock) {
    this.repo = repo;
    this.log = log;
    this.clock = clock;
  }

  String name() {
    return repo.store().name();
  }

  /** Lock, index chain, available chunks, adoption of an interrupted job's blocks, segment writer. */
  void prepare(String jobId) {
    try {
      repo.notices(m -> log.info(m)); // index parts re-transferred (guide ch. 11.2)
      lock = RepoLock.acquire(repo.store(), jobId, clock);
      removeStaleTemporary();
      chain = IndexChain.latest(repo);
      List<Store.StoredObject> listing = repo.store().list("blocks/"); // listed once
      Map<String, Long> existing = new HashMap<>();
      for (Store.StoredObject o : listing) {
        existing.put(o.path(), o.size());
      }
      Set<String> referenced = new HashSet<>();
      Set<String> wrongSize = new HashSet<>();
      Map<String, Set<String>> sampled = sampleHeaders(listing);
      Set<String> swapped = new java.util.TreeSet<>();
      available = new ChunkSet();
      chain.forEachBlockAndBlob(b -> {
        referenced.add(b.path());
        Long size = existing.get(b.path());
        if (size != null && size.longValue() != b.size()) {
          wrongSize.add(b.path()); // damaged since: its chunks are stored again
        } else if (size != null) {
          stored.put(b.path(), size);
        }
      }, b -> {
        Set<String> header = sampled.get(b.location().block());
        if (header != null && !header.contains(b.id() + "@" + b.location().offset())) {
          swapped.add(b.location().block()); // its header lists other blobs: not the block the index means
          return;
        }
        if (b.location().type() == ObjectTypes.DATA && existing.containsKey(b.location().block())
            && !wrongSize.contains(b.location().block())) {
          available.add(b.id());
        }
      });
      for (String b : new java.util.TreeSet<>(wrongSize)) {
        suspicious("block " + b + " at " + name() + " is not the size the index records (damaged or swapped); "
            + "its data is stored again");
      }
      swapped.removeAll(wrongSize); // reported once
      for (String b : swapped) {
        suspicious("block " + b + " at " + name() + " does not hold the blobs the index lists for it (swapped or "
            + "replaced); its data is stored again");
      }
      segment = repo.segmentWriter(jobId, chain.jobId());
      adoptOrphans(listing, referenced);
      previous = chain.state();
    } catch (RepoException e) {
      fail(e.getMessage());
      release();
    }
  }

  /** Blocks whose headers are read at each job start to catch swapped blocks (TEST-MATRIX S5). */
  static final int SAMPLED_HEADERS = 2;

  /**
   * The headers of {@link #SAMPLED_HEADERS} blocks drawn at random from the listing, as
   * "id@offset" per blob: a block swapped with another of the same size is only noticed by its
   * contents. A header that cannot be read marks its block as suspicious too.
   */
  private Map<String, Set<String>> sampleHeaders(List<Store.StoredObject> listing) {
    List<Store.StoredObject> blocks = new java.util.ArrayList<>(listing.stream()
        .filter(o -> o.path().endsWith(".bak")).toList());
    java.util.Collections.shuffle(blocks);
    Map<String, Set<String>> out = new HashMap<>();
    for (Store.StoredObject o : blocks.subList(0, Math.min(SAMPLED_HEADERS, blocks.size()))) {
      Set<String> ids = new HashSet<>();
      try {
        for (BlockEntry e : BlockReader.readHeader(repo.store(), o.path(), o.size(), repo.cipher(), repo.masterKey())) {
          ids.add(e.id() + "@" + e.offset());
        }
      } catch (RepoException e) {
        // damaged: no blob of it counts as stored (an empty header lists none)
      }
      out.put(o.path(), ids);
    }
    return out;
  }

  /** Notes something about the destination a user should look at before retention runs there. */
  private void suspicious(String message) {
    suspicious.add(message);
    log.warn(message);
  }

  /** What looked damaged or tampered with at this destination when the job started. */
  List<String> suspicious() {
    return suspicious;
  }

  /**
   * Removes what interrupted uploads left under temporary names ({@code *.tmp-*}, on SFTP, FTP and
   * folders) once they are older than {@link #TEMP_GRACE}, judged by the store's modification
   * time: with the lock held no upload of this repository is running, and the grace period covers
   * clock differences and writers that do not take the lock. Never fails the job.
   */
  private void removeStaleTemporary() {
    try {
      int n = repo.store().removeTemporaryBefore(clock.instant().minus(TEMP_GRACE));
      if (n > 0) {
        log.info("removed " + n + " temporary upload(s) left by interrupted transfers at " + name());
      }
    } catch (RuntimeException e) {
      log.info("leftover temporary uploads at " + name() + " were not removed: " + e.getMessage());
    }
  }

  /**
   * Blocks that no committed job lists are left by an interrupted job (written before its
   * manifest). Their blobs are adopted into this job instead of being uploaded again.
   */
  private void adoptOrphans(List<Store.StoredObject> listing, Set<String> referenced) {
    int adopted = 0;
    for (Store.StoredObject o : listing) {
      if (!o.path().endsWith(".bak") || referenced.contains(o.path())) {
        continue;
      }
      try {
        List<BlockEntry> entries = BlockReader.readHeader(repo.store(), o.path(), o.size(), repo.cipher(),
            repo.masterKey());
        segment.block(new IndexSegment.Block(o.path(), o.size()));
        for (BlockEntry e : entries) {
          segment.blob(new IndexSegment.Blob(e.id(), new BlobLocation(e.type(), o.path(), e.offset(),
              e.storedLength(), e.rawLength())));
          if (e.type() == ObjectTypes.DATA) {
            available.add(e.id());
          }
        }
        adopted++;
      } catch (RepoException e) {
        log.warn("leftover block " + o.path() + " at " + name() + " is unreadable and was not reused: "
            + e.getMessage());
      }
    }
    if (adopted > 0) {
      log.info("reusing " + adopted + " block(s) left by an interrupted job at " + name());
    }
  }

  ChunkSet available() {
    return available;
  }

  /** The previous version of {@code path} (null: none); current paths passed on the way have ended. */
  FileVersion advanceTo(String path) {
    if (error != null) {
      return null;
    }
    try {
      return previous.advanceTo(path, this::end);
    } catch (RepoException e) {
      fail("reading the previous index failed: " + e.getMessage());
      return null;
    }
  }

  private void end(FileVersion v) {
    segment.ended(v.path());
    ended++;
  }

  /** Records a version this job found, unless the destination already has exactly this version. */
  boolean added(FileVersion v, FileVersion prev) {
    if (error != null || (prev != null && prev.equals(v))) {
      return false;
    }
    try {
      segment.added(v);
      addedCount++;
    } catch (RuntimeException e) {
      fail("writing the index failed: " + e.getMessage());
    }
    return true;
  }

  /** Lists a block this job wrote and its blobs in the segment. */
  void shipped(IndexSegment.Block block, List<IndexSegment.Blob> blobs) {
    if (error != null) {
      return;
    }
    try {
      sent.put(block.path(), block.size());
      segment.block(block);
      blobs.forEach(segment::blob);
    } catch (RuntimeException e) {
      fail("writing the index failed: " + e.getMessage());
    }
  }

  long endedCount() {
    return ended;
  }

  void fail(String message) {
    if (error == null) {
      error = message;
      log.error("destination " + name() + ": " + message);
    }
  }

  // ------------------------------------------------------------------------------------ commit

  /** Ends what the walk did not reach: the rest of the previous state ({@link #endedCount} then counts them all). */
  void endUnreached() {
    try {
      previous.drain(this::end);
    } catch (RuntimeException e) {
      fail("commit failed: " + e.getMessage());
    }
  }

  /** After {@link #endUnreached}: finishes the segment, maybe a checkpoint, then the manifest. */
  void commit(String jobId, Props manifest, long startNanos, JobStats stats) {
    if (error != null) {
      return;
    }
    try {
      CrashPoints.reach("before-index");
      lock.check(); // another writer took over (this one was stopped or cut off): commit nothing
      List<IndexRef> parts = segment.finish();
      Props m = manifest.copy();
      DataValidation.Outcome checked = DataValidation.run(repo, jobId, sent, parts, log); // guide ch. 11.3
      parts = checked.parts();
      addedCount -= checked.filesRemoved();
      if (!checked.clean()) {
        m.put("files.removed", checked.filesRemoved()).put("warnings", log.warnings());
      }
      Manifest.putRefs(m, "index", parts);
      CrashPoints.reach("after-index");
      if (chain.jobId() == null) {
        // the first job: its segment already is the complete state (nothing ended, everything added)
        m.put("checkpoint.segment", "true").put("checkpoint.files", addedCount);
      } else if (chain.checkpointDue(addedCount + ended)) {
        IndexChain.Checkpoint c = chain.writeCheckpoint(new Manifest(jobId, m));
        Manifest.putRefs(m, "checkpoint", c.parts());
        m.put("checkpoint.files", c.files());
      }
      m.put("files.deleted", ended).put("durationMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      m.put("previousJobId", chain.jobId() == null ? "" : chain.jobId()).put("finished", Instant.now(clock).toString());
      confirmStored(jobId, parts);
      CrashPoints.reach("before-manifest");
      lock.check();
      repo.writeManifest(jobId, m);
      log.info("job " + jobId + " committed to " + name() + ": " + stats);
    } catch (RuntimeException e) {
      fail("commit failed: " + e.getMessage());
    }
  }

  /**
   * Confirms, right before the manifest, that the blocks this job deduplicated against still exist
   * (TEST-MATRIX R15, R19): a prune that ran meanwhile (the lock taken over from a stopped job, or a
   * writer that ignores locks) may have deleted blocks whose chunks it no longer needed. One listing
   * of {@code blocks/}; only when a block listed at the start is gone is every chunk of the versions
   * this job added looked up in the index as it is now (the committed jobs and this job's segment).
   */
  private void confirmStored(String jobId, List<IndexRef> parts) {
    Map<String, Long> now = new HashMap<>();
    for (Store.StoredObject o : repo.store().list("blocks/")) {
      now.put(o.path(), o.size());
    }
    List<String> gone = stored.entrySet().stream().filter(e -> !e.getValue().equals(now.get(e.getKey())))
        .map(Map.Entry::getKey).sorted().toList();
    if (gone.isEmpty()) {
      return;
    }
    ChunkSet located = new ChunkSet();
    Consumer<IndexSegment.Blob> locate = b -> {
      if (b.location().type() == ObjectTypes.DATA && now.containsKey(b.location().block())) {
        located.add(b.id());
      }
    };
    IndexChain.latest(repo).forEachBlockAndBlob(b -> { }, locate);
    IndexStreams.Loader own = ref -> repo.indexPart(ref, jobId);
    IndexStreams.forEachBlockAndBlob(parts, own, b -> { }, locate);
    long missing = 0;
    for (Iterator<FileVersion> it = IndexStreams.added(parts, own); it.hasNext(); ) {
      for (ChunkId c : it.next().chunks()) {
        if (!located.contains(c)) {
          missing++;
        }
      }
    }
    if (missing > 0) {
      throw new RepoException(missing + " chunk(s) this job refers to are no longer stored at " + name()
          + ": block(s) " + gone.subList(0, Math.min(3, gone.size())) + (gone.size() > 3 ? " and " + (gone.size() - 3)
          + " more" : "") + " were deleted while the job ran (a prune by another writer?); job " + jobId
          + " is not committed, and the next backup stores that data again");
    }
  }

  void release() {
    repo.notices(null);
    if (lock != null) {
      try {
        lock.close();
      } catch (RuntimeException e) {
        log.warn("cannot remove the lock at " + name() + ": " + e.getMessage());
      }
      lock = null;
    }
  }
}
