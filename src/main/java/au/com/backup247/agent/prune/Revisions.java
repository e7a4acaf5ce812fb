package au.com.backup247.agent.prune;

import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.index.PathOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a prune rewrites index segments and manifests (FORMAT.md §10): the new segment of a job,
 * the manifest keys of a revision, and the revision number.
 */
final class Revisions {
  private static final Pattern REVISION = Pattern.compile("^index/[^/]+\\.r(\\d+)(\\.\\d+)?\\.(idx|ckp)$");

  private Revisions() {
  }

  /**
   * The segment without the {@code added} records of {@code drop} (each gets an {@code ended}
   * record instead, so an older version does not come back as of this job), without blocks that
   * are deleted and with blobs of repacked blocks at their new place; the same object when nothing
   * changes. Existing {@code ended} records are always kept.
   */
  static IndexSegment rewrite(IndexSegment seg, Set<String> drop, Set<String> dead, Repacker.Repacked repacked) {
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

  /** The manifest pointing at revision {@code rev} of the job's segment. */
  static Props revised(Props old, List<IndexRef> refs, long rev, String pruneId, IndexSegment seg) {
    Props p = without(old, "index.");
    Manifest.putRefs(p, "index", refs);
    p.put("index.rev", rev).put("pruned", pruneId);
    if ("true".equals(p.get("checkpoint.segment"))) {
      p.put("checkpoint.files", seg.added().size());
    }
    return p;
  }

  static Props without(Props old, String prefix) {
    Props p = new Props();
    old.asMap().forEach((k, v) -> {
      if (!k.startsWith(prefix) || (prefix.equals("checkpoint.") && "true".equals(old.get("checkpoint.segment")))) {
        p.put(k, v);
      }
    });
    return p;
  }

  /** Every index object the manifests refer to. */
  static Set<String> indexRefs(Iterable<Manifest> manifests) {
    Set<String> out = new HashSet<>();
    for (Manifest m : manifests) {
      m.segmentRefs().forEach(r -> out.add(r.name()));
      m.checkpointRefs().forEach(r -> out.add(r.name()));
    }
    return out;
  }

  static boolean isIndexPart(String path) {
    return path.startsWith("index/") && (path.endsWith(".idx") || path.endsWith(".ckp"));
  }

  /** One more than any revision a manifest names or an index object carries. */
  static long nextRevision(Iterable<Manifest> manifests, Set<String> listed) {
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
