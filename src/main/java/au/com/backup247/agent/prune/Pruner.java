package au.com.backup247.agent.prune;

import au.com.backup247.agent.backup.CrashPoints;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoException;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.PathOrder;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.ObjectTypes;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.retention.Plan;
import au.com.backup247.agent.retention.RetentionPlanner;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.retention.VersionInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final Pattern REVISION = Pattern.compile("^index/[^/]+\\.r(\\d+)(\\.\\d+)?\\.(idx|ckp)$");

  /**
   * What to do.
   *
   * @param repackBelowPercent repack a block whose live data is less than this share of the data the
   *     index places in it, live and dead (0: never)
   */
  public record Options(RetentionPolicy policy, ZoneId zone, boolean dryRun, int repackBelowPercent) {
    public Options {
      if (repackBelowPercent < 0 || repackBelowPercent > 100) {
        throw new IllegalArgumentException("repack threshold must be 0..100 %, got " + repackBelowPercent);
      }
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
  private Consumer<String> crashPoints = CrashPoints::reach;

  public Pruner(Repository repo, Options options, JobLog log, Clock clock) {
    this.repo = repo;
    this.store = repo.store();
    this.options = options;
    this.log = log;
    this.clock = clock;
  }

  /** Replaces the crash points (tests throw at a label to simulate a crash there). */
  public Pruner crashPoints(Consumer<String> hook) {
    this.crashPoints = hook;
    return this;
  }

  private record Span(FileVersion version, String firstJob, String endJob) {
  }

  /** A block the index lists: size and the DATA blobs (id → stored length) the index places in it. */
  private static final class BlockInfo {
    final long size;
    final Map<ChunkId, Integer> data = new HashMap<>();

    BlockInfo(long size) {
      this.size = size;
    }
  }

  public Result run() {
    String pruneId = ID.format(Instant.now(clock));
    RepoLock lock = options.dryRun() ? null : RepoLock.acquire(store, "prune-" + pruneId, clock);
    try {
      return prune(pruneId);
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private Result prune(String pruneId) {
    String where = store.name();
    // ---- read everything the manifests reference
    List<String> jobs = repo.jobIds();
    if (!jobs.equals(repo.jobIds())) {
      throw new RepoException("not pruning " + where + ": two listings of jobs/ disagree; the listing is unreliable");
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
        blocks.putIfAbsent(b.path(), new BlockInfo(b.size()));
      }
      for (IndexSegment.Blob b : seg.blobs()) {
        if (b.location().type() == ObjectTypes.DATA) {
          blocks.get(b.location().block()).data.put(b.id(), b.location().storedLength());
        }
      }
    }
    Set<String> indexRefs = indexRefs(manifests.values());
    Map<String, Long> listedBlocks = listing("blocks/");
    Map<String, Long> listedIndex = listing("index/");
    guard(jobs, manifests, blocks.keySet(), indexRefs, listedBlocks, listedIndex);

    // ---- versions, the plan, what stays alive
    Map<String, Instant> jobTimes = new LinkedHashMap<>();
    for (Manifest m : manifests.values()) {
      jobTimes.put(m.jobId(), started(m));
    }
    List<Span> spans = replay(segments);
    Map<Span, Plan.Decision> decisions = plan(spans, jobTimes);
    Map<String, Set<String>> drop = new HashMap<>(); // job → paths whose "added" record goes
    List<Removed> removed = new ArrayList<>();
    Set<ChunkId> live = new HashSet<>();
    long kept = 0;
    for (Span s : spans) {
      Plan.Decision d = decisions.get(s);
      if (d != null && d.action() == Plan.Action.REMOVE) {
        if (s.endJob() == null) { // independent of the planner: the data area is never touched
          throw new RepoException("internal error: the retention plan removes the current version of "
              + s.version().path() + "; nothing was changed");
        }
        drop.computeIfAbsent(s.firstJob(), k -> new HashSet<>()).add(s.version().path());
        removed.add(new Removed(s.version().path(), s.firstJob(), s.endJob(), d.reason()));
      } else {
        live.addAll(s.version().chunks());
        if (s.endJob() != null) {
          kept++;
        }
      }
    }
    Set<String> dead = new TreeSet<>();
    Set<String> repack = new TreeSet<>();
    for (Map.Entry<String, BlockInfo> e : blocks.entrySet()) {
      long liveBytes = liveBytes(e.getValue(), live);
      if (liveBytes == 0) {
        dead.add(e.getKey());
      } else if (liveBytes * 100 < (long) options.repackBelowPercent() * dataBytes(e.getValue())
          && listedBlocks.containsKey(e.getKey())) {
        repack.add(e.getKey());
      }
    }
    long freed = 0;
    for (String b : dead) {
      freed += listedBlocks.getOrDefault(b, 0L);
    }
    for (String b : repack) {
      freed += listedBlocks.get(b) - liveBytes(blocks.get(b), live);
    }
    Set<String> orphans = new TreeSet<>(listedBlocks.keySet());
    orphans.removeAll(blocks.keySet());
    for (String b : orphans) {
      freed += listedBlocks.get(b);
    }
    boolean changes = !removed.isEmpty() || !dead.isEmpty() || !repack.isEmpty();
    for (Removed r : removed) {
      log.info("remove " + r.path() + " (added by job " + r.addedBy() + ", ended by job " + r.endedBy() + "): "
          + r.reason());
    }
    if (options.dryRun()) {
      int oldParts = 0;
      for (String p : listedIndex.keySet()) {
        if (!indexRefs.contains(p) && isIndexPart(p)) {
          oldParts++;
        }
      }
      return new Result(where, true, jobs.size(), kept, removed, 0, dead.size() + orphans.size(), repack.size(),
          oldParts, freed);
    }

    // ---- 1. repacked blocks, under new names
    Repacked moved = changes ? repack(pruneId, repack, live, segments) : Repacked.NONE;
    long written = moved.sizes().values().stream().mapToLong(Long::longValue).sum();
    crashPoints.accept("prune-after-blocks");

    // ---- 2. new index revisions of the segments that change, 3. a fresh checkpoint for the newest job
    long rev = nextRevision(manifests.values(), listedIndex.keySet());
    Map<String, IndexSegment> rewritten = new LinkedHashMap<>();
    Map<String, List<IndexRef>> newRefs = new HashMap<>();
    Map<String, IndexSegment> after = new LinkedHashMap<>();
    for (Map.Entry<String, IndexSegment> e : segments.entrySet()) {
      IndexSegment seg = e.getValue();
      IndexSegment next = changes ? rewrite(seg, drop.getOrDefault(e.getKey(), Set.of()), dead, moved) : seg;
      after.put(e.getKey(), next);
      if (next != seg) {
        rewritten.put(e.getKey(), next);
        List<IndexRef> refs = write(next, "idx", rev);
        newRefs.put(e.getKey(), refs);
        written += refs.stream().mapToLong(IndexRef::size).sum();
      }
    }
    crashPoints.accept("prune-after-index");
    String newest = jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
    List<IndexRef> checkpoint = null;
    long checkpointFiles = 0;
    if (changes && jobs.size() > 1) {
      IndexPartWriter w = repo.revisionWriter(newest, manifests.get(newest).previousJobId(), "ckp", rev);
      for (IndexSegment seg : after.values()) {
        seg.blocks().forEach(w::block);
        seg.blobs().forEach(w::blob);
      }
      List<FileVersion> current = new ArrayList<>();
      for (Span s : spans) {
        if (s.endJob() == null) {
          current.add(s.version());
        }
      }
      current.sort((a, b) -> PathOrder.compare(a.path(), b.path()));
      current.forEach(w::added);
      checkpointFiles = current.size();
      checkpoint = w.finish();
      written += checkpoint.stream().mapToLong(IndexRef::size).sum();
    }
    crashPoints.accept("prune-after-checkpoint");

    // ---- 4. manifests: first drop every old checkpoint (the state stays as it was), then point each
    // changed job at its new revision, the newest job last (with the fresh checkpoint)
    int manifestsWritten = 0;
    if (changes) {
      for (Manifest m : manifests.values()) {
        if (m.get("checkpoint.parts") != null && !"true".equals(m.get("checkpoint.segment"))) {
          Props p = without(m.props(), "checkpoint.");
          crashPoints.accept("prune-manifest");
          repo.writeManifest(m.jobId(), p);
          manifests.put(m.jobId(), new Manifest(m.jobId(), p));
          manifestsWritten++;
        }
      }
      for (String job : jobs) {
        if (!job.equals(newest) && rewritten.containsKey(job)) {
          Props p = revised(manifests.get(job).props(), newRefs.get(job), rev, pruneId, rewritten.get(job));
          crashPoints.accept("prune-manifest");
          repo.writeManifest(job, p);
          manifests.put(job, new Manifest(job, p));
          manifestsWritten++;
        }
      }
      if (newest != null && (rewritten.containsKey(newest) || checkpoint != null)) {
        Props p = manifests.get(newest).props();
        if (rewritten.containsKey(newest)) {
          p = revised(p, newRefs.get(newest), rev, pruneId, rewritten.get(newest));
        }
        if (checkpoint != null) {
          p = without(p, "checkpoint.");
          Manifest.putRefs(p, "checkpoint", checkpoint);
          p.put("checkpoint.rev", rev).put("checkpoint.files", checkpointFiles);
        }
        crashPoints.accept("prune-manifest");
        repo.writeManifest(newest, p);
        manifests.put(newest, new Manifest(newest, p));
        manifestsWritten++;
      }
    }
    crashPoints.accept("prune-after-manifests");
    log.info(where + ": " + manifestsWritten + " manifest(s) rewritten (index revision " + rev + ")");

    // ---- 5. delete what nothing refers to any more, after listing again (R12)
    Set<String> referenced = new HashSet<>();
    after.values().forEach(s -> s.blocks().forEach(b -> referenced.add(b.path())));
    Set<String> newIndexRefs = indexRefs(manifests.values());
    Map<String, Long> blocksNow = listing("blocks/");
    Map<String, Long> indexNow = listing("index/");
    guardListing("blocks/", referenced, blocksNow);
    guardListing("index/", newIndexRefs, indexNow);
    int blocksDeleted = 0;
    long bytesFreed = -written;
    for (Map.Entry<String, Long> e : blocksNow.entrySet()) {
      String b = e.getKey();
      if (referenced.contains(b) || !b.endsWith(".bak")) {
        continue;
      }
      crashPoints.accept("prune-delete");
      store.delete(b);
      if (!repack.contains(b)) { // the originals of repacked blocks are counted as repacked
        blocksDeleted++;
      }
      bytesFreed += e.getValue();
    }
    int partsDeleted = 0;
    for (Map.Entry<String, Long> e : indexNow.entrySet()) {
      String p = e.getKey();
      if (newIndexRefs.contains(p) || !isIndexPart(p)) {
        continue;
      }
      crashPoints.accept("prune-delete");
      store.delete(p);
      partsDeleted++;
      bytesFreed += e.getValue();
    }
    Result r = new Result(where, false, jobs.size(), kept, removed, rewritten.size(), blocksDeleted, repack.size(),
        partsDeleted, bytesFreed);
    log.info(where + ": " + r.summary());
    return r;
  }

  /**
   * The DATA bytes the index places in a block, live or dead: the repack threshold is a share of
   * them, so a block holding only live data (e.g. one a prune wrote) is never repacked again.
   */
  private static long dataBytes(BlockInfo block) {
    long n = 0;
    for (int len : block.data.values()) {
      n += len;
    }
    return n;
  }

  private static long liveBytes(BlockInfo block, Set<ChunkId> live) {
    long n = 0;
    for (Map.Entry<ChunkId, Integer> blob : block.data.entrySet()) {
      if (live.contains(blob.getKey())) {
        n += blob.getValue();
      }
    }
    return n;
  }

  // ------------------------------------------------------------------------------- versions

  /** Every version with the jobs it lived in, replayed from the segments (as History does). */
  private static List<Span> replay(Map<String, IndexSegment> segments) {
    List<Span> spans = new ArrayList<>();
    Map<String, Integer> open = new HashMap<>();
    for (Map.Entry<String, IndexSegment> e : segments.entrySet()) {
      String job = e.getKey();
      for (String p : e.getValue().ended()) {
        close(spans, open, p, job);
      }
      for (FileVersion v : e.getValue().added()) {
        close(spans, open, v.path(), job);
        open.put(v.path(), spans.size());
        spans.add(new Span(v, job, null));
      }
    }
    return spans;
  }

  private static void close(List<Span> spans, Map<String, Integer> open, String path, String job) {
    Integer i = open.remove(path);
    if (i != null) {
      Span s = spans.get(i);
      spans.set(i, new Span(s.version(), s.firstJob(), job));
    }
  }

  /**
   * The planner's decision for every version, path by path. A folder version the planner removes
   * is kept while any kept version lies below it, so a kept file never loses its folder.
   */
  private Map<Span, Plan.Decision> plan(List<Span> spans, Map<String, Instant> jobTimes) {
    Map<String, List<Span>> byPath = new TreeMap<>();
    for (Span s : spans) {
      byPath.computeIfAbsent(s.version().path(), k -> new ArrayList<>()).add(s);
    }
    List<Instant> times = new ArrayList<>(jobTimes.values());
    Instant now = Instant.now(clock);
    Map<Span, Plan.Decision> out = new HashMap<>();
    TreeSet<String> keptPaths = new TreeSet<>();
    List<Span> folders = new ArrayList<>();
    for (List<Span> versions : byPath.values()) {
      if (versions.size() == 1 && versions.get(0).endJob() == null) {
        keptPaths.add(versions.get(0).version().path());
        continue; // only a current version: nothing to decide
      }
      List<VersionInfo> infos = new ArrayList<>();
      for (Span s : versions) {
        Instant start = jobTimes.get(s.firstJob());
        Instant end = s.endJob() == null ? null : jobTimes.get(s.endJob());
        infos.add(new VersionInfo(s.firstJob(), start, end == null ? null : end.isBefore(start) ? start : end));
      }
      Plan plan = RetentionPlanner.plan(infos, times, options.policy(), now, options.zone());
      for (int i = 0; i < versions.size(); i++) {
        Span s = versions.get(i);
        Plan.Decision d = plan.decisions().get(i);
        out.put(s, d);
        if (d.action() == Plan.Action.KEEP) {
          keptPaths.add(s.version().path());
        } else if (s.version().kind() == FileVersion.FOLDER) {
          folders.add(s);
        }
      }
    }
    folders.sort((a, b) -> Integer.compare(b.version().path().length(), a.version().path().length()));
    for (Span f : folders) {
      String path = f.version().path();
      String prefix = path.endsWith("/") ? path : path + "/";
      String below = keptPaths.ceiling(prefix);
      if (below != null && below.startsWith(prefix)) {
        out.put(f, new Plan.Decision(out.get(f).version(), Plan.Action.KEEP, "folder of kept versions"));
        keptPaths.add(path);
      }
    }
    return out;
  }

  private static Instant started(Manifest m) {
    String s = m.get("started");
    try {
      if (s != null && !s.isEmpty()) {
        return Instant.parse(s);
      }
    } catch (DateTimeParseException e) {
      // fall back to the job id
    }
    String id = m.jobId().length() >= 19 ? m.jobId().substring(0, 19) : m.jobId();
    try {
      return LocalDateTime.parse(id, DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new RepoException("job " + m.jobId() + " has no start time; cannot apply a retention policy");
    }
  }

  // ------------------------------------------------------------------------------- rewriting

  /**
   * The segment without the {@code added} records of {@code drop} (each gets an {@code ended}
   * record instead, so an older version does not come back as of this job), without blocks that
   * are deleted and with blobs of repacked blocks at their new place; the same object when nothing
   * changes. Existing {@code ended} records are always kept.
   */
  private static IndexSegment rewrite(IndexSegment seg, Set<String> drop, Set<String> dead, Repacked repacked) {
    Map<String, Map<ChunkId, BlobLocation>> moved = repacked.moved();
    boolean touched = !drop.isEmpty();
    LinkedHashMap<String, IndexSegment.Block> blocks = new LinkedHashMap<>();
    List<IndexSegment.Blob> blobs = new ArrayList<>();
    Map<String, Long> sizes = new HashMap<>();
    for (IndexSegment.Block b : seg.blocks()) {
      sizes.put(b.path(), b.size());
      if (dead.contains(b.path()) || moved.containsKey(b.path())) {
        touched = true;
      } else {
        blocks.put(b.path(), b);
      }
    }
    for (IndexSegment.Blob b : seg.blobs()) {
      String block = b.location().block();
      Map<ChunkId, BlobLocation> m = moved.get(block);
      if (m != null) {
        BlobLocation to = m.get(b.id());
        if (to != null && b.location().type() == ObjectTypes.DATA) {
          blocks.putIfAbsent(to.block(), new IndexSegment.Block(to.block(), repacked.sizes().get(to.block())));
          blobs.add(new IndexSegment.Blob(b.id(), to));
        }
      } else if (!dead.contains(block)) {
        blobs.add(b);
      }
    }
    if (!touched) {
      return seg;
    }
    List<FileVersion> added = new ArrayList<>();
    for (FileVersion v : seg.added()) {
      if (!drop.contains(v.path())) {
        added.add(v);
      }
    }
    TreeSet<String> ended = new TreeSet<>(PathOrder.COMPARATOR);
    ended.addAll(seg.ended());
    ended.addAll(drop);
    return new IndexSegment(seg.jobId(), seg.previousJobId(), new ArrayList<>(blocks.values()), blobs, added,
        new ArrayList<>(ended));
  }

  /** Blocks written by {@link #repack}: per old block where its live blobs are now; sizes of the new blocks. */
  private record Repacked(Map<String, Map<ChunkId, BlobLocation>> moved, Map<String, Long> sizes) {
    static final Repacked NONE = new Repacked(Map.of(), Map.of());
  }

  /**
   * Copies the live DATA blobs of {@code blocks} into new blocks under {@code blocks/<pruneId>/}
   * (FILE records are not carried over: they only serve an index rebuild from blocks).
   */
  private Repacked repack(String pruneId, Set<String> blocks, Set<ChunkId> live, Map<String, IndexSegment> segments) {
    if (blocks.isEmpty()) {
      return Repacked.NONE;
    }
    Map<String, Map<ChunkId, BlobLocation>> sources = new LinkedHashMap<>();
    for (IndexSegment seg : segments.values()) {
      for (IndexSegment.Blob b : seg.blobs()) {
        if (blocks.contains(b.location().block()) && b.location().type() == ObjectTypes.DATA
            && live.contains(b.id())) {
          sources.computeIfAbsent(b.location().block(), k -> new LinkedHashMap<>()).putIfAbsent(b.id(), b.location());
        }
      }
    }
    Map<String, Long> sizes = new HashMap<>();
    Map<ChunkId, BlobLocation> done = new HashMap<>();
    Set<ChunkId> pending = new HashSet<>();
    BlockWriter w = null;
    for (String block : blocks) {
      for (Map.Entry<ChunkId, BlobLocation> e : sources.getOrDefault(block, Map.of()).entrySet()) {
        if (done.containsKey(e.getKey()) || !pending.add(e.getKey())) {
          continue;
        }
        byte[] plain = repo.readBlob(e.getKey(), e.getValue());
        if (w == null) {
          w = repo.newBlockWriter();
        }
        w.add(ObjectTypes.DATA, e.getKey(), repo.compressor().body(plain, 0, plain.length), plain.length);
        if (w.size() >= repo.config().blockSize() || w.count() >= BlockWriter.MAX_BLOBS) {
          flush(pruneId, w, done, sizes);
          pending.clear();
          w = null;
        }
      }
    }
    if (w != null && !w.isEmpty()) {
      flush(pruneId, w, done, sizes);
    }
    Map<String, Map<ChunkId, BlobLocation>> moved = new HashMap<>();
    for (String block : blocks) {
      Map<ChunkId, BlobLocation> m = new HashMap<>();
      for (ChunkId id : sources.getOrDefault(block, Map.of()).keySet()) {
        m.put(id, done.get(id));
      }
      moved.put(block, m);
    }
    log.info("repacked " + blocks.size() + " block(s) into " + sizes.size() + " new block(s)");
    return new Repacked(moved, sizes);
  }

  private void flush(String pruneId, BlockWriter w, Map<ChunkId, BlobLocation> done, Map<String, Long> sizes) {
    BlockWriter.Finished f = w.finish();
    String path = "blocks/" + pruneId + "/" + f.name() + ".bak";
    store.put(path, f.bytes(), f.length());
    for (BlockEntry e : f.entries()) {
      done.put(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(), e.rawLength()));
    }
    sizes.put(path, (long) f.length());
  }

  private List<IndexRef> write(IndexSegment seg, String ext, long rev) {
    IndexPartWriter w = repo.revisionWriter(seg.jobId(), seg.previousJobId(), ext, rev);
    seg.blocks().forEach(w::block);
    seg.blobs().forEach(w::blob);
    seg.added().forEach(w::added);
    seg.ended().forEach(w::ended);
    return w.finish();
  }

  /** The manifest pointing at revision {@code rev} of the job's segment. */
  private static Props revised(Props old, List<IndexRef> refs, long rev, String pruneId, IndexSegment seg) {
    Props p = without(old, "index.");
    Manifest.putRefs(p, "index", refs);
    p.put("index.rev", rev).put("pruned", pruneId);
    if ("true".equals(p.get("checkpoint.segment"))) {
      p.put("checkpoint.files", seg.added().size());
    }
    return p;
  }

  private static Props without(Props old, String prefix) {
    Props p = new Props();
    old.asMap().forEach((k, v) -> {
      if (!k.startsWith(prefix) || (prefix.equals("checkpoint.") && "true".equals(old.get("checkpoint.segment")))) {
        p.put(k, v);
      }
    });
    return p;
  }

  // ------------------------------------------------------------------------------- listings (R12)

  private Map<String, Long> listing(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    for (Store.StoredObject o : store.list(prefix)) {
      out.put(o.path(), o.size());
    }
    return out;
  }

  private static Set<String> indexRefs(Iterable<Manifest> manifests) {
    Set<String> out = new HashSet<>();
    for (Manifest m : manifests) {
      m.segmentRefs().forEach(r -> out.add(r.name()));
      m.checkpointRefs().forEach(r -> out.add(r.name()));
    }
    return out;
  }

  private static boolean isIndexPart(String path) {
    return path.startsWith("index/") && (path.endsWith(".idx") || path.endsWith(".ckp"));
  }

  /**
   * Refuses (TEST-MATRIX R12) when the listings cannot be trusted: jobs missing from the chain of
   * previous jobs, index parts the manifests need (and that were just read) missing, referenced
   * blocks missing that do exist when asked one by one, or objects of a job that has a manifest
   * the listing did not show.
   */
  private void guard(List<String> jobs, Map<String, Manifest> manifests, Set<String> blocks, Set<String> indexRefs,
      Map<String, Long> listedBlocks, Map<String, Long> listedIndex) {
    String where = store.name();
    Set<String> known = new HashSet<>(jobs);
    for (Manifest m : manifests.values()) {
      String prev = m.previousJobId();
      if (prev != null && !known.contains(prev)) {
        throw new RepoException("not pruning " + where + ": job " + m.jobId() + " follows job " + prev
            + ", which the listing of jobs/ does not show; the listing is incomplete or the repository damaged "
            + "(run 'repo check'). Nothing was changed");
      }
    }
    guardListing("index/", indexRefs, listedIndex);
    guardListing("blocks/", blocks, listedBlocks);
    Set<String> asked = new HashSet<>();
    for (String path : concat(listedBlocks.keySet(), listedIndex.keySet())) {
      String job = jobOf(path);
      if (job != null && !known.contains(job) && asked.add(job) && store.exists("jobs/" + job + ".job")) {
        throw new RepoException("not pruning " + where + ": job " + job + " exists but the listing of jobs/ "
            + "did not show it; the listing is unreliable. Nothing was changed");
      }
    }
  }

  private void guardListing(String prefix, Set<String> referenced, Map<String, Long> listed) {
    String where = store.name();
    if (referenced.isEmpty()) {
      return;
    }
    if (listed.isEmpty()) {
      throw new RepoException("not pruning " + where + ": the listing of " + prefix + " is empty although the "
          + "index refers to " + referenced.size() + " object(s) there; the listing is unreliable. Nothing was deleted");
    }
    int missing = 0;
    for (String p : referenced) {
      if (!listed.containsKey(p)) {
        if (store.exists(p)) {
          throw new RepoException("not pruning " + where + ": the listing of " + prefix + " left out " + p
              + ", which exists; the listing is unreliable. Nothing was deleted");
        }
        missing++;
      }
    }
    if (missing * 2 > referenced.size()) {
      throw new RepoException("not pruning " + where + ": " + missing + " of " + referenced.size()
          + " object(s) the index refers to under " + prefix + " are missing; run 'repo check'. Nothing was deleted");
    }
    if (missing > 0) {
      log.warn(where + ": " + missing + " object(s) the index refers to under " + prefix
          + " are missing (see 'repo check')");
    }
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The job an object belongs to by its name: blocks/<job>/…, index/<job>.… ; null when unknown. */
  private static String jobOf(String path) {
    if (path.startsWith("blocks/")) {
      int slash = path.indexOf('/', 7);
      return slash > 7 ? path.substring(7, slash) : null;
    }
    if (path.startsWith("index/")) {
      String name = path.substring(6);
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : null;
    }
    return null;
  }

  /** One more than any revision a manifest names or an index object carries. */
  private static long nextRevision(Iterable<Manifest> manifests, Set<String> listed) {
    long max = 0;
    for (Manifest m : manifests) {
      for (String k : List.of("index.rev", "checkpoint.rev")) {
        String v = m.get(k);
        if (v != null && !v.isEmpty()) {
          max = Math.max(max, Long.parseLong(v));
        }
      }
    }
    for (String p : listed) {
      Matcher mt = REVISION.matcher(p);
      if (mt.matches()) {
        max = Math.max(max, Long.parseLong(mt.group(1)));
      }
    }
    return max + 1;
  }
}
