package au.com.backup247.agent.prune;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Copies the live blobs of mostly-dead blocks into new blocks (FORMAT.md §10, step 1). */
final class Repacker {
  private final Repository repo;
  private final JobLog log;

  Repacker(Repository repo, JobLog log) {
    this.repo = repo;
    this.log = log;
  }

  /** Blocks written by {@link #repack}: per old block where its live blobs are now; sizes of the new blocks. */
  record Repacked(Map<String, Map<ChunkId, BlobLocation>> moved, Map<String, Long> sizes) {
    static final Repacked NONE = new Repacked(Map.of(), Map.of());
  }

  /**
   * Copies the live DATA blobs of {@code blocks} into new blocks under {@code blocks/<pruneId>/}
   * (FILE records are not carried over: they only serve an index rebuild from blocks).
   */
  Repacked repack(String pruneId, Set<String> blocks, Set<ChunkId> live, Map<String, IndexSegment> segments) {
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
    repo.store().put(path, f.bytes(), f.length());
    for (BlockEntry e : f.entries()) {
      done.put(e.id(), new BlobLocation(e.type(), path, e.offset(), e.storedLength(), e.rawLength()));
    }
    sizes.put(path, (long) f.length());
  }
}
