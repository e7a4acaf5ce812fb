package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.IndexStreams;
import au.com.backup247.agent.repo.index.StateCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The index objects that give the state as of a job (FORMAT.md §5): the newest checkpoint at or
 * before it, and the segments of the jobs after that checkpoint. Read as streams, part by part, so
 * a backup's memory does not grow with the number of files ({@link #state()}, {@link
 * #forEachBlockAndBlob}), or replayed into memory reading each part once ({@link #replay()}).
 */
public final class IndexChain {
  /** Write a checkpoint at least every this many jobs. */
  public static final int CHECKPOINT_EVERY_JOBS = 8;
  /** … or once the versions added and ended since the last one reach this share of its files. */
  public static final double CHECKPOINT_CHANGE_SHARE = 0.10;
  /**
   * Opened index parts a chain keeps for its next reads, in bytes (compressed bodies: about 80 bytes
   * an entry, so the index of some 400,000 files and folders).
   */
  static final long KEPT_BYTES = 32L << 20;

  private final Repository repo;
  private final String jobId;
  private final Manifest checkpoint;
  private final List<Manifest> after;
  /** Bodies of the parts opened so far ({@link #part}), at most {@link #KEPT_BYTES} in all. */
  private final Map<IndexRef, byte[]> kept = new HashMap<>();
  private long keptBytes;

  private IndexChain(Repository repo, String jobId, Manifest checkpoint, List<Manifest> after) {
    this.repo = repo;
    this.jobId = jobId;
    this.checkpoint = checkpoint;
    this.after = after;
  }

  /** The chain for the latest committed job (empty for a new repository). */
  public static IndexChain latest(Repository repo) {
    List<String> jobs = repo.jobIds();
    return of(repo, jobs, jobs.isEmpty() ? null : jobs.get(jobs.size() - 1));
  }

  /** The chain for {@code asOf} among {@code jobs} (committed, oldest first). */
  public static IndexChain of(Repository repo, List<String> jobs, String asOf) {
    if (asOf == null) {
      return new IndexChain(repo, null, null, List.of());
    }
    List<Manifest> after = new ArrayList<>();
    Manifest ckp = null;
    for (int i = jobs.indexOf(asOf); i >= 0; i--) {
      Manifest m = repo.manifest(jobs.get(i));
      if (!m.checkpointRefs().isEmpty()) {
        ckp = m;
        break;
      }
      after.add(0, m);
    }
    return new IndexChain(repo, asOf, ckp, after);
  }

  /** The job this chain describes; null for an empty repository. */
  public String jobId() {
    return jobId;
  }

  /** Jobs whose segments are replayed on top of the checkpoint. */
  public int jobsSinceCheckpoint() {
    return after.size();
  }

  private IndexStreams.Loader loader(String job) {
    return ref -> part(ref, job, true);
  }

  /** Loads parts for their blocks and blobs only. */
  private IndexStreams.Loader blobLoader(String job) {
    return ref -> part(ref, job, false);
  }

  /**
   * A part, opened once per chain: a backup reads each part of the previous state for its blobs
   * ({@link #forEachBlockAndBlob}) and then for its versions ({@link #state()}, which reads a
   * segment once for its added versions and once for its ended paths), and a checkpoint written at
   * the end reads them again. Downloading, checking and decrypting a part is most of the cost of
   * reading it (AES-GCM runs slowly in a short command, before the JIT compiles it); its body,
   * still compressed, is kept for the next read while the kept bodies total at most
   * {@link #KEPT_BYTES}. A larger index is read again part by part, so memory stays bounded.
   */
  private IndexSegment part(IndexRef ref, String job, boolean files) {
    byte[] body;
    synchronized (kept) {
      body = kept.get(ref);
    }
    if (body == null) {
      body = repo.openIndexPart(ref, job);
      synchronized (kept) {
        if (keptBytes + body.length <= KEPT_BYTES && kept.putIfAbsent(ref, body) == null) {
          keptBytes += body.length;
        }
      }
    }
    return repo.indexPart(body, ref, job, files);
  }

  /** The current versions as of {@link #jobId()}, in path order, plus {@code extra} segments on top. */
  public StateCursor state(List<Manifest> extra) {
    Iterator<FileVersion> base = checkpoint == null ? java.util.Collections.emptyIterator()
        : IndexStreams.added(checkpoint.checkpointRefs(), loader(checkpoint.jobId()));
    List<Iterator<FileVersion>> added = new ArrayList<>();
    List<Iterator<String>> ended = new ArrayList<>();
    List<Manifest> all = new ArrayList<>(after);
    all.addAll(extra);
    for (Manifest m : all) {
      added.add(IndexStreams.added(m.segmentRefs(), loader(m.jobId())));
      ended.add(IndexStreams.ended(m.segmentRefs(), loader(m.jobId())));
    }
    return StateCursor.of(base, added, ended);
  }

  public StateCursor state() {
    return state(List.of());
  }

  /** Every block and blob recorded up to {@link #jobId()}, oldest first (a later copy of a blob wins). */
  public void forEachBlockAndBlob(Consumer<IndexSegment.Block> blocks, Consumer<IndexSegment.Blob> blobs) {
    if (checkpoint != null) {
      IndexStreams.forEachBlockAndBlob(checkpoint.checkpointRefs(), blobLoader(checkpoint.jobId()), blocks,
          blobs);
    }
    for (Manifest m : after) {
      IndexStreams.forEachBlockAndBlob(m.segmentRefs(), blobLoader(m.jobId()), blocks, blobs);
    }
  }

  /** The versions current as of a chain's job, by path, and where every blob is stored. */
  public record Replay(NavigableMap<String, FileVersion> current, Map<ChunkId, BlobLocation> blobs) {
  }

  /**
   * The state as of {@link #jobId()} in memory, each index part read once: the checkpoint's parts,
   * then each later job's segment, part by part. Within a segment its ended paths go and its added
   * versions come, and a path both ended and added there stays (as {@link #state()} and {@code
   * History.load} merge them); a later copy of a blob wins. Empty when a part of the checkpoint
   * cannot be read (damaged or missing; the check reports it): the segments of every job since the
   * first hold the same state. A segment that cannot be read is an error.
   */
  public Optional<Replay> replay() {
    TreeMap<String, FileVersion> current = new TreeMap<>();
    Map<ChunkId, BlobLocation> blobs = new HashMap<>();
    if (checkpoint != null) {
      try {
        for (IndexRef ref : checkpoint.checkpointRefs()) {
          IndexSegment part = repo.indexPart(ref, checkpoint.jobId());
          addBlobs(part, blobs);
          part.added().forEach(v -> current.put(v.path(), v));
        }
      } catch (RepoException e) {
        return Optional.empty();
      }
    }
    for (Manifest m : after) {
      Set<String> added = new HashSet<>(); // this segment's: an "ended" in a later part does not remove them
      for (IndexRef ref : m.segmentRefs()) {
        IndexSegment part = repo.indexPart(ref, m.jobId());
        addBlobs(part, blobs);
        for (String p : part.ended()) {
          if (!added.contains(p)) {
            current.remove(p);
          }
        }
        for (FileVersion v : part.added()) {
          current.put(v.path(), v);
          added.add(v.path());
        }
      }
    }
    return Optional.of(new Replay(current, blobs));
  }

  /** The blobs of {@code part} into {@code blobs}: the newest copy wins (a re-upload after a lost block). */
  static void addBlobs(IndexSegment part, Map<ChunkId, BlobLocation> blobs) {
    for (IndexSegment.Blob b : part.blobs()) {
      blobs.put(b.id(), b.location());
    }
  }

  /**
   * Whether the job {@code next} (on top of this chain, with {@code changes} versions added or ended)
   * should write a checkpoint: when there is none yet, every {@link #CHECKPOINT_EVERY_JOBS} jobs, or
   * when the changes since the last one reach {@link #CHECKPOINT_CHANGE_SHARE} of its files.
   */
  public boolean checkpointDue(long changes) {
    if (checkpoint == null) {
      return true;
    }
    if (after.size() + 1 >= CHECKPOINT_EVERY_JOBS) {
      return true;
    }
    long since = changes;
    for (Manifest m : after) {
      since += m.stat("files.new") + m.stat("files.changed") + m.stat("files.deleted");
    }
    return since >= Math.max(1000, checkpoint.stat("checkpoint.files") * CHECKPOINT_CHANGE_SHARE);
  }

  /**
   * Writes the checkpoint of job {@code job} (whose segment is already stored): this chain's state
   * and blobs with the job's segment on top. Returns its parts and the number of current versions.
   */
  public Checkpoint writeCheckpoint(Manifest job) {
    var w = repo.checkpointWriter(job.jobId(), jobId);
    forEachBlockAndBlob(w::block, w::blob);
    IndexStreams.forEachBlockAndBlob(job.segmentRefs(), blobLoader(job.jobId()), w::block, w::blob);
    long[] files = {0};
    state(List.of(job)).drain(v -> {
      w.added(v);
      files[0]++;
    });
    return new Checkpoint(w.finish(), files[0]);
  }

  /** A written checkpoint. */
  public record Checkpoint(List<IndexRef> parts, long files) {
  }
}
