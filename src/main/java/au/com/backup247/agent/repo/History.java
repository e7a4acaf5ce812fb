package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The repository's file versions replayed from its index segments up to one job (FORMAT.md §5):
 * what was current then ("data area"), every version with the span of jobs it lived in (current and
 * "retention area"), and where every blob of those jobs is stored. {@link #current} loads only what
 * was current (no spans), for restores and browsing of one job.
 */
public final class History {
  private final String jobId;
  private final List<String> jobs;
  private final NavigableMap<String, FileVersion> current;
  private final List<Span> spans;
  private final Map<ChunkId, BlobLocation> blobs;

  /** A version and the jobs it lived in: from {@code firstJob} until {@code endJob} (null: still current). */
  public record Span(FileVersion version, String firstJob, String endJob) {
  }

  private History(String jobId, List<String> jobs, NavigableMap<String, FileVersion> current, List<Span> spans,
      Map<ChunkId, BlobLocation> blobs) {
    this.jobId = jobId;
    this.jobs = jobs;
    this.current = current;
    this.spans = spans;
    this.blobs = blobs;
  }

  /** Replays every committed job up to {@code asOf} (null: the latest). */
  public static History load(Repository repo, String asOf) {
    List<String> jobs = upTo(repo, asOf);
    TreeMap<String, FileVersion> current = new TreeMap<>();
    Map<String, Integer> open = new HashMap<>();
    List<Span> spans = new ArrayList<>();
    Map<ChunkId, BlobLocation> blobs = new HashMap<>();
    for (String job : jobs) {
      IndexSegment seg = repo.segment(repo.manifest(job));
      IndexChain.addBlobs(seg, blobs);
      for (String p : seg.ended()) {
        current.remove(p);
        close(spans, open, p, job);
      }
      for (FileVersion v : seg.added()) {
        current.put(v.path(), v);
        close(spans, open, v.path(), job);
        open.put(v.path(), spans.size());
        spans.add(new Span(v, job, null));
      }
    }
    return new History(last(jobs), jobs, current, spans, blobs);
  }

  /**
   * The versions current as of {@code asOf} (null: the latest) and where every blob is stored,
   * without the versions before them: read from the newest checkpoint at or before the job and the
   * segments of the jobs after it ({@link IndexChain#replay}), each index part once, where {@link #load}
   * replays every segment since the first job and keeps every version. The same state (checked by
   * {@code Checker}: a checkpoint says what replaying the segments up to its job says) for a fraction
   * of the reading and of the memory; {@link #spans()} of it is refused. A checkpoint that cannot be
   * read is passed over: every segment is replayed instead, as {@link #load} does.
   */
  public static History current(Repository repo, String asOf) {
    List<String> jobs = upTo(repo, asOf);
    String job = last(jobs);
    Optional<IndexChain.Replay> replay = IndexChain.of(repo, jobs, job).replay();
    if (replay.isEmpty()) {
      // a damaged or missing checkpoint (check reports it): the segments hold the same state
      return load(repo, asOf);
    }
    return new History(job, jobs, replay.get().current(), null, replay.get().blobs());
  }

  /** The committed jobs up to {@code asOf} (null: all), oldest first; refused when {@code asOf} is not one. */
  private static List<String> upTo(Repository repo, String asOf) {
    List<String> all = repo.jobIds();
    if (asOf == null) {
      return List.copyOf(all);
    }
    int i = all.indexOf(asOf);
    if (i < 0) {
      throw new RepoException("job " + asOf + " does not exist in " + repo.store().name() + "; jobs: "
          + (all.isEmpty() ? "none" : String.join(", ", all)));
    }
    return List.copyOf(all.subList(0, i + 1));
  }

  private static String last(List<String> jobs) {
    return jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
  }

  private static void close(List<Span> spans, Map<String, Integer> open, String path, String job) {
    Integer i = open.remove(path);
    if (i != null) {
      Span s = spans.get(i);
      spans.set(i, new Span(s.version(), s.firstJob(), job));
    }
  }

  /** A history assembled by other means (e.g. from block files alone, when the index is lost). */
  public static History of(String jobId, Map<String, FileVersion> current, Map<ChunkId, BlobLocation> blobs) {
    List<Span> spans = new ArrayList<>();
    for (FileVersion v : current.values()) {
      spans.add(new Span(v, jobId, null));
    }
    return new History(jobId, List.of(jobId), new TreeMap<>(current), spans, new HashMap<>(blobs));
  }

  /** The last job replayed, or null for an empty repository. */
  public String jobId() {
    return jobId;
  }

  public List<String> jobs() {
    return jobs;
  }

  /** Versions current as of {@link #jobId()}, by path. */
  public NavigableMap<String, FileVersion> current() {
    return Collections.unmodifiableNavigableMap(current);
  }

  /**
   * Every version of every path up to {@link #jobId()}, in the order they were added; refused for a
   * history of the current versions only ({@link #current}).
   */
  public List<Span> spans() {
    if (spans == null) {
      throw new IllegalStateException("history of job " + jobId + " was loaded without its older versions");
    }
    return Collections.unmodifiableList(spans);
  }

  public Map<ChunkId, BlobLocation> blobs() {
    return Collections.unmodifiableMap(blobs);
  }

  public BlobLocation location(ChunkId id) {
    return blobs.get(id);
  }
}
