package au.com.backup247.agent.prune;

import au.com.backup247.agent.backup.CrashPoints;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.prune.VersionPlan.Span;
import au.com.backup247.agent.repo.JobIds;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.PathOrder;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.retention.Plan;
import au.com.backup247.agent.retention.RetentionPlanner;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Applies a retention policy to one repository (guide ch. 9.5 "Retention Policy", 9.9.2 "Space
 * Freeing Up"; FORMAT.md §10): removes the versions the {@link RetentionPlanner} removes, deletes
 * blocks no remaining version needs, repacks blocks that are mostly dead, and deletes index parts
 * no manifest refers to (leftovers of earlier runs and interrupted jobs).
 *
 * <p>Safety: it holds the repository lock; a version current in the newest state is never removed
 * (checked here, independently of the planner); a listing that looks empty or incomplete stops it
 * before anything is written (TEST-MATRIX R12); objects are written under new names first (repacked
 * blocks, then index revisions, then the new checkpoint), manifests are replaced one by one, and old
 * objects are deleted only after every manifest is replaced. Killed at any point, the repository
 * still checks clean and restores every kept version; the next run finishes the work.
 *
 * <p>Memory: every index segment of the repository is held while it runs.
 */
public final class Pruner {
  /** Unreferenced blocks and index parts of jobs younger than this are kept (FORMAT.md §10, R19). */
  public static final Duration GRACE = Duration.ofDays(1);

  /**
   * What to do.
   *
   * @param repackBelowPercent repack a block whose live data is less than this share of the data the
   *     index places in it, live and dead (0: never)
   * @param trustClock act even when the clock looks set back or far ahead of the newest job
   *     ({@link JobIds#implausible}); normally the prune refuses then (TEST-MATRIX R16)
   * @param grace blocks and index parts that no committed job refers to are deleted only once the
   *     job id in their name is this much older than now: they may belong to a job still running
   */
  public record Options(RetentionPolicy policy, ZoneId zone, boolean dryRun, int repackBelowPercent,
      boolean trustClock, Duration grace) {
    public Options {
      if (repackBelowPercent < 0 || repackBelowPercent > 100) {
        throw new IllegalArgumentException("repack threshold must be 0..100 %, got " + repackBelowPercent);
      }
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative, got " + grace);
      }
    }

    /** Trusting the clock only when it looks right, with the default {@link #GRACE}. */
    public Options(RetentionPolicy policy, ZoneId zone, boolean dryRun, int repackBelowPercent) {
      this(policy, zone, dryRun, repackBelowPercent, false, GRACE);
    }

    public Options withGrace(Duration g) {
      return new Options(policy, zone, dryRun, repackBelowPercent, trustClock, g);
    }
  }

  /** A version removed (or, in a dry run, to be removed), with the planner's reason. */
  public record Removed(String path, String addedBy, String endedBy, String reason) {
  }

  /** What a run did (or, in a dry run, would do). */
  public record Result(String destination, boolean dryRun, int jobs, long versionsKept, List<Removed> removed,
      int jobsRewritten, int blocksDeleted, int blocksRepacked, int indexPartsDeleted, long bytesFreed) {
    public String summary() {
      return (dryRun ? "would remove " : "removed ") + removed.size() + " version(s) (" + versionsKept
          + " older version(s) kept), " + (dryRun ? "would delete " : "deleted ") + blocksDeleted + " block(s), "
          + (dryRun ? "would repack " : "repacked ") + blocksRepacked + " block(s), " + indexPartsDeleted
          + " old index part(s); " + (dryRun ? "would free " : "freed ") + bytesFreed + " bytes";
    }
  }

  private final Repository repo;
  private final Store store;
  private final Options options;
  private final JobLog log;
  private final Clock clock;
  private final ListingGuard guard;
  private Consumer<String> crashPoints = CrashPoints::reach;
  private Progress progress = (step, done, total, freed) -> {
  };

  /**
   * What a running prune reports (for progress displays): the step it is in, objects done of that
   * step's total, and the bytes freed so far. Called on the prune's thread; keep it cheap.
   */
  @FunctionalInterface
  public interface Progress {
    /** {@code step}: "repack", "index", "delete"; {@code total}: objects in the step. */
    void update(String step, long done, long total, long bytesFreed);
  }
  private RepoLock.Timing lockTiming = RepoLock.Timing.DEFAULT;
  private RepoLock lock;

  public Pruner(Repository repo, Options options, JobLog log, Clock clock) {
    this.repo = repo;
    this.store = repo.store();
    this.options = options;
    this.log = log;
    this.clock = clock;
    this.guard = new ListingGuard(store, log);
  }

  /** Replaces the crash points (tests throw at a label to simulate a crash there). */
  /** Reports the prune's steps and counts to {@code p}. */
  public Pruner progress(Progress p) {
    this.progress = p;
    return this;
  }

  public Pruner crashPoints(Consumer<String> hook) {
    this.crashPoints = hook;
    return this;
  }

  /** Other lock timings (tests). */
  public Pruner lockTiming(RepoLock.Timing timing) {
    this.lockTiming = timing;
    return this;
  }

  /** A block the index lists: the DATA blobs (id → stored length) the index places in it. */
  private static final class BlockInfo {
    final Map<ChunkId, Integer> data = new HashMap<>();

    /** All its DATA bytes, live or dead (so a block a prune wrote, all live, is never repacked again). */
    long dataBytes() {
      long n = 0;
      for (int len : data.values()) {
        n += len;
      }
      return n;
    }

    long liveBytes(Set<ChunkId> live) {
      long n = 0;
      for (Map.Entry<ChunkId, Integer> blob : data.entrySet()) {
        if (live.contains(blob.getKey())) {
          n += blob.getValue();
        }
      }
      return n;
    }
  }

  /** What the repository holds: manifests and segments of the committed jobs, blocks, listings. */
  private record Snapshot(List<String> jobs, Map<String, Manifest> manifests, Map<String, IndexSegment> segments,
      Map<String, BlockInfo> blocks, Set<String> indexRefs, Map<String, Long> listedBlocks,
      Map<String, Long> listedIndex) {
  }

  /** What is to go: versions ({@code drop}: job → paths of its dropped "added" records), blocks. */
  private record Decision(List<Span> spans, List<Removed> removed, long kept, Map<String, Set<String>> drop,
      Set<ChunkId> live, Set<String> dead, Set<String> repack, Set<String> orphans, long freed) {
    boolean changes() {
      return !removed.isEmpty() || !dead.isEmpty() || !repack.isEmpty();
    }
  }

  public Result run() {
    Instant now = Instant.now(clock);
    String pruneId = JobIds.format(now);
    lock = options.dryRun() ? null : RepoLock.acquire(store, "prune-" + pruneId, clock, lockTiming);
    try {
      Snapshot s = load();
      checkClock(s, now);
      Decision d = decide(s);
      for (Removed r : d.removed()) {
        log.info("remove " + r.path() + " (added by job " + r.addedBy() + ", ended by job " + r.endedBy() + "): "
            + r.reason());
      }
      if (options.dryRun()) {
        int oldParts = 0;
        for (String p : s.listedIndex().keySet()) {
          if (!s.indexRefs().contains(p) && Revisions.isIndexPart(p) && !young(p, s.jobs())) {
            oldParts++;
          }
        }
        return new Result(store.name(), true, s.jobs().size(), d.kept(), d.removed(), 0,
            d.dead().size() + d.orphans().size(), d.repack().size(), oldParts, d.freed());
      }
      return apply(pruneId, s, d);
    } finally {
      if (lock != null) {
        lock.close();
        lock = null;
      }
    }
  }

  /**
   * Refuses (TEST-MATRIX R16) when "now" is before the newest job or implausibly far after it, or
   * when the newest job itself started implausibly long after the one before it (a backup made
   * with a clock set ahead): retention would treat the newest data as superseded, or every older
   * version as expired. Job times are the manifests' start times made monotonic along the job ids.
   */
  private void checkClock(Snapshot s, Instant now) {
    if (options.trustClock() || s.jobs().isEmpty()) {
      return;
    }
    Map<String, Instant> times = jobTimes(s.manifests());
    String newest = s.jobs().get(s.jobs().size() - 1);
    String why = JobIds.implausible(now, newest, times.get(newest));
    if (why == null && s.jobs().size() > 1) {
      String prev = s.jobs().get(s.jobs().size() - 2);
      if (times.get(newest).isAfter(times.get(prev).plus(JobIds.MAX_GAP))) {
        why = "the newest job " + newest + " (" + times.get(newest) + ") started "
            + Duration.between(times.get(prev), times.get(newest)).toDays() + " days after job " + prev + " ("
            + times.get(prev) + "); it may have been made with a clock set ahead";
      }
    }
    if (why != null) {
      throw new RepoException("not pruning " + store.name() + ": " + why + ". Nothing was changed; check the "
          + "system clock (if it is right: run a backup first, or prune with --trust-clock)");
    }
  }

  /** Start time of each job, never before the job before it nor before the time its id names. */
  static Map<String, Instant> jobTimes(Map<String, Manifest> manifests) {
    Map<String, Instant> out = new LinkedHashMap<>();
    Instant last = null;
    for (Manifest m : manifests.values()) {
      Instant t = VersionPlan.started(m);
      Instant id = JobIds.time(m.jobId());
      if (id != null && id.isAfter(t)) {
        t = id;
      }
      if (last != null && last.isAfter(t)) {
        t = last;
      }
      out.put(m.jobId(), t);
      last = t;
    }
    return out;
  }

  /**
   * Whether an object no committed job refers to belongs to a job (or prune) that may still be
   * running: the job id in its name is less than {@link Options#grace()} old, or in the future.
   */
  private boolean young(String path, List<String> committed) {
    String job = ListingGuard.jobOf(path);
    if (job == null || committed.contains(job)) {
      return false;
    }
    Instant t = JobIds.time(job);
    return t != null && t.isAfter(Instant.now(clock).minus(options.grace()));
  }

  /** Reads every manifest and segment and lists blocks/ and index/, then checks the listings (R12). */
  private Snapshot load() {
    List<String> jobs = repo.jobIds();
    if (!jobs.equals(repo.jobIds())) {
      throw new RepoException("not pruning " + store.name() + ": two listings of jobs/ disagree; the listing is "
          + "unreliable");
    }
    Map<String, Manifest> manifests = new LinkedHashMap<>();
    Map<String, IndexSegment> segments = new LinkedHashMap<>();
    for (String job : jobs) {
      Manifest m = repo.manifest(job);
      manifests.put(job, m);
      segments.put(job, repo.segment(m));
    }
    Map<String, BlockInfo> blocks = new LinkedHashMap<>();
    for (IndexSegment seg : segments.values()) {
      for (IndexSegment.Block b : seg.blocks()) {
        blocks.putIfAbsent(b.path(), new BlockInfo());
      }
      for (IndexSegment.Blob b : seg.blobs()) {
        if (b.location().type() == ObjectTypes.DATA) {
          blocks.get(b.location().block()).data.put(b.id(), b.location().storedLength());
        }
      }
    }
    Set<String> indexRefs = Revisions.indexRefs(manifests.values());
    Map<String, Long> listedBlocks = guard.list("blocks/");
    Map<String, Long> listedIndex = guard.list("index/");
    guard.check(jobs, manifests, blocks.keySet(), indexRefs, listedBlocks, listedIndex);
    return new Snapshot(jobs, manifests, segments, blocks, indexRefs, listedBlocks, listedIndex);
  }

  /** The plan per version; what stays alive; dead, mostly-dead and orphan blocks. */
  private Decision decide(Snapshot s) {
    Map<String, Instant> jobTimes = jobTimes(s.manifests());
    List<Span> spans = VersionPlan.replay(s.segments());
    Instant now = Instant.now(clock);
    for (Instant t : jobTimes.values()) {
      now = t.isAfter(now) ? t : now; // ids of jobs a second apart may run ahead of the clock (JobIds.next)
    }
    Map<Span, Plan.Decision> decisions = VersionPlan.plan(spans, jobTimes, options.policy(), options.zone(), now);
    Map<String, Set<String>> drop = new HashMap<>();
    List<Removed> removed = new ArrayList<>();
    Set<ChunkId> live = new HashSet<>();
    long kept = 0;
    for (Span sp : spans) {
      Plan.Decision d = decisions.get(sp);
      if (d != null && d.action() == Plan.Action.REMOVE) {
        if (sp.endJob() == null) { // independent of the planner: the data area is never touched
          throw new RepoException("internal error: the retention plan removes the current version of "
              + sp.version().path() + "; nothing was changed");
        }
        drop.computeIfAbsent(sp.firstJob(), k -> new HashSet<>()).add(sp.version().path());
        removed.add(new Removed(sp.version().path(), sp.firstJob(), sp.endJob(), d.reason()));
      } else {
        live.addAll(sp.version().chunks());
        if (sp.endJob() != null) {
          kept++;
        }
      }
    }
    Set<String> dead = new TreeSet<>();
    Set<String> repack = new TreeSet<>();
    long freed = 0;
    for (Map.Entry<String, BlockInfo> e : s.blocks().entrySet()) {
      long liveBytes = e.getValue().liveBytes(live);
      Long size = s.listedBlocks().get(e.getKey());
      if (liveBytes == 0) {
        dead.add(e.getKey());
        freed += size == null ? 0 : size;
      } else if (liveBytes * 100 < (long) options.repackBelowPercent() * e.getValue().dataBytes() && size != null) {
        repack.add(e.getKey());
        freed += size - liveBytes;
      }
    }
    Set<String> orphans = new TreeSet<>(s.listedBlocks().keySet());
    orphans.removeAll(s.blocks().keySet());
    orphans.removeIf(b -> young(b, s.jobs()));
    for (String b : orphans) {
      freed += s.listedBlocks().get(b);
    }
    return new Decision(spans, removed, kept, drop, live, dead, repack, orphans, freed);
  }

  /** Steps 1–5 of FORMAT.md §10. */
  private Result apply(String pruneId, Snapshot s, Decision d) {
    String where = store.name();
    List<String> jobs = s.jobs();
    Map<String, Manifest> manifests = new LinkedHashMap<>(s.manifests());
    // 1. repacked blocks, under new names
    progress.update("repack", 0, d.repack().size(), 0);
    Repacker.Repacked moved = d.changes() ? new Repacker(repo, log).repack(pruneId, d.repack(), d.live(),
        s.segments()) : Repacker.Repacked.NONE;
    long written = moved.sizes().values().stream().mapToLong(Long::longValue).sum();
    crashPoints.accept("prune-after-blocks");
    progress.update("index", 0, s.segments().size(), 0);

    // 2. new index revisions of the segments that change
    long rev = Revisions.nextRevision(manifests.values(), s.listedIndex().keySet());
    Map<String, IndexSegment> rewritten = new LinkedHashMap<>();
    Map<String, List<IndexRef>> newRefs = new HashMap<>();
    Map<String, IndexSegment> after = new LinkedHashMap<>();
    for (Map.Entry<String, IndexSegment> e : s.segments().entrySet()) {
      IndexSegment seg = e.getValue();
      IndexSegment next = d.changes()
          ? Revisions.rewrite(seg, d.drop().getOrDefault(e.getKey(), Set.of()), d.dead(), moved) : seg;
      after.put(e.getKey(), next);
      if (next != seg) {
        rewritten.put(e.getKey(), next);
        List<IndexRef> refs = write(next, rev);
        newRefs.put(e.getKey(), refs);
        written += refs.stream().mapToLong(IndexRef::size).sum();
      }
    }
    crashPoints.accept("prune-after-index");

    // 3. a fresh checkpoint for the newest job
    String newest = jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
    List<IndexRef> checkpoint = null;
    long checkpointFiles = 0;
    if (d.changes() && jobs.size() > 1) {
      IndexPartWriter w = repo.revisionWriter(newest, manifests.get(newest).previousJobId(), "ckp", rev);
      for (IndexSegment seg : after.values()) {
        seg.blocks().forEach(w::block);
        seg.blobs().forEach(w::blob);
      }
      List<FileVersion> current = new ArrayList<>();
      for (Span sp : d.spans()) {
        if (sp.endJob() == null) {
          current.add(sp.version());
        }
      }
      current.sort((a, b) -> PathOrder.compare(a.path(), b.path()));
      current.forEach(w::added);
      checkpointFiles = current.size();
      checkpoint = w.finish();
      written += checkpoint.stream().mapToLong(IndexRef::size).sum();
    }
    crashPoints.accept("prune-after-checkpoint");
    lock.check(); // lost (taken over while this prune was stopped): replace no manifest

    // 4. manifests: first every old checkpoint goes (the state stays as it was), then each changed
    // job points at its new revision, the newest job last (with the fresh checkpoint)
    int manifestsWritten = 0;
    if (d.changes()) {
      for (Manifest m : s.manifests().values()) {
        if (m.get("checkpoint.parts") != null && !"true".equals(m.get("checkpoint.segment"))) {
          writeManifest(manifests, m.jobId(), Revisions.without(m.props(), "checkpoint."));
          manifestsWritten++;
        }
      }
      for (String job : jobs) {
        if (!job.equals(newest) && rewritten.containsKey(job)) {
          writeManifest(manifests, job, Revisions.revised(manifests.get(job).props(), newRefs.get(job), rev, pruneId,
              rewritten.get(job)));
          manifestsWritten++;
        }
      }
      if (newest != null && (rewritten.containsKey(newest) || checkpoint != null)) {
        Props p = manifests.get(newest).props();
        if (rewritten.containsKey(newest)) {
          p = Revisions.revised(p, newRefs.get(newest), rev, pruneId, rewritten.get(newest));
        }
        if (checkpoint != null) {
          p = Revisions.without(p, "checkpoint.");
          Manifest.putRefs(p, "checkpoint", checkpoint);
          p.put("checkpoint.rev", rev).put("checkpoint.files", checkpointFiles);
        }
        writeManifest(manifests, newest, p);
        manifestsWritten++;
      }
    }
    crashPoints.accept("prune-after-manifests");
    log.info(where + ": " + manifestsWritten + " manifest(s) rewritten (index revision " + rev + ")");

    // 5. delete what nothing refers to any more, after listing again (R12)
    Set<String> referenced = new HashSet<>();
    after.values().forEach(seg -> seg.blocks().forEach(b -> referenced.add(b.path())));
    Set<String> newIndexRefs = Revisions.indexRefs(manifests.values());
    if (!repo.jobIds().equals(jobs)) {
      throw new RepoException("not deleting anything at " + where + ": the listing of jobs/ changed while pruning; "
          + "the listing is unreliable. Nothing was deleted; the next prune finishes the work");
    }
    Map<String, Long> blocksNow = guard.list("blocks/");
    Map<String, Long> indexNow = guard.list("index/");
    guard.checkListing("blocks/", referenced, blocksNow);
    guard.checkListing("index/", newIndexRefs, indexNow);
    lock.check();
    List<Map.Entry<String, Long>> goneBlocks = new ArrayList<>();
    for (Map.Entry<String, Long> e : blocksNow.entrySet()) {
      String b = e.getKey();
      if (referenced.contains(b) || !b.endsWith(".bak") || (!s.blocks().containsKey(b) && young(b, jobs))) {
        continue; // young and never referenced: a running job's, kept for the grace period
      }
      goneBlocks.add(e);
    }
    List<Map.Entry<String, Long>> goneParts = new ArrayList<>();
    for (Map.Entry<String, Long> e : indexNow.entrySet()) {
      String p = e.getKey();
      if (newIndexRefs.contains(p) || !Revisions.isIndexPart(p) || young(p, jobs)) {
        continue;
      }
      goneParts.add(e);
    }
    long toDelete = goneBlocks.size() + goneParts.size();
    long deleted = 0;
    int blocksDeleted = 0;
    long bytesFreed = -written;
    progress.update("delete", 0, toDelete, 0);
    for (Map.Entry<String, Long> e : goneBlocks) {
      String b = e.getKey();
      crashPoints.accept("prune-delete");
      store.delete(b);
      if (!d.repack().contains(b)) { // the originals of repacked blocks are counted as repacked
        blocksDeleted++;
      }
      bytesFreed += e.getValue();
      progress.update("delete", ++deleted, toDelete, Math.max(0, bytesFreed));
    }
    int partsDeleted = 0;
    for (Map.Entry<String, Long> e : goneParts) {
      crashPoints.accept("prune-delete");
      store.delete(e.getKey());
      partsDeleted++;
      bytesFreed += e.getValue();
      progress.update("delete", ++deleted, toDelete, Math.max(0, bytesFreed));
    }
    Result r = new Result(where, false, jobs.size(), d.kept(), d.removed(), rewritten.size(), blocksDeleted,
        d.repack().size(), partsDeleted, bytesFreed);
    log.info(where + ": " + r.summary());
    return r;
  }

  private void writeManifest(Map<String, Manifest> manifests, String job, Props p) {
    crashPoints.accept("prune-manifest");
    lock.check();
    repo.writeManifest(job, p);
    manifests.put(job, new Manifest(job, p));
  }

  private List<IndexRef> write(IndexSegment seg, long rev) {
    IndexPartWriter w = repo.revisionWriter(seg.jobId(), seg.previousJobId(), "idx", rev);
    seg.blocks().forEach(w::block);
    seg.blobs().forEach(w::blob);
    seg.added().forEach(w::added);
    seg.ended().forEach(w::ended);
    return w.finish();
  }
}
