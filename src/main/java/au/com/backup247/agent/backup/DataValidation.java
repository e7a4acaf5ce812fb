package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data validation check of one destination (guide ch. 11.3), run after the job's uploads and
 * before its manifest: the destination's {@code blocks/<jobId>/} is listed once and every block
 * the job sent must be there with the size that was sent. A block that is missing, or has another
 * size, is a bad block; what the listing claims is confirmed with a {@code stat} of that block
 * (listings of some stores can lag or leave objects out). A wrong-sized block is deleted.
 *
 * <p>When there are bad blocks, the job's index segment (already written in parts) is re-written
 * part by part under the same names, without the bad blocks, without their blobs, and without
 * every file version this job added that needs a chunk stored in one of them (conservatively also
 * when the chunk exists elsewhere too). So nothing recorded points into missing data and later
 * jobs never count those chunks as stored. A removed version leaves the path as it was before the
 * job: a file new in this job is not in the job at all, a changed file keeps its previous version
 * as the current one — exactly as for a file that could not be read. Its size and times differ
 * from the previous version, so the next backup reads it again and stores its data again. The
 * job log gets a warning per bad block and per removed file (the first {@link #NAMED_FILES}, then
 * a count), so the job ends "Completed with warning(s)".
 */
final class DataValidation {
  /** Removed files named one by one in the log; more are counted. */
  static final int NAMED_FILES = 100;

  /** The result: the segment's parts (re-written when needed) and what was removed. */
  record Outcome(List<IndexRef> parts, List<String> badBlocks, long filesRemoved) {
    boolean clean() {
      return badBlocks.isEmpty();
    }
  }

  private DataValidation() {
  }

  /**
   * Checks the blocks {@code sent} (path → size) against the destination and, when some are bad,
   * re-writes the segment {@code parts} of {@code jobId} without them.
   */
  static Outcome run(Repository repo, String jobId, Map<String, Long> sent, List<IndexRef> parts, JobLog log) {
    Store store = repo.store();
    String where = store.name();
    Map<String, Long> listed = new HashMap<>();
    for (Store.StoredObject o : store.list("blocks/" + jobId + "/")) {
      listed.put(o.path(), o.size());
    }
    Map<String, String> bad = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : sent.entrySet()) {
      Long size = listed.get(e.getKey());
      if (size != null && size.longValue() == e.getValue()) {
        continue;
      }
      Optional<Store.StoredObject> o = store.stat(e.getKey()); // confirm what the listing says
      if (o.isPresent() && o.get().size() == e.getValue()) {
        continue;
      }
      if (o.isEmpty()) {
        bad.put(e.getKey(), "is missing (" + e.getValue() + " bytes were sent)");
      } else {
        String why = "has " + o.get().size() + " bytes, " + e.getValue() + " were sent";
        try {
          store.delete(e.getKey());
          why += "; removed from the destination";
        } catch (RuntimeException ex) {
          why += "; it could not be removed: " + ex.getMessage();
        }
        bad.put(e.getKey(), why);
      }
    }
    if (bad.isEmpty()) {
      log.info("data validation at " + where + ": " + sent.size() + " block(s) of job " + jobId
          + " present with the sizes sent");
      return new Outcome(parts, List.of(), 0);
    }
    for (Map.Entry<String, String> e : bad.entrySet()) {
      log.warn("data validation at " + where + ": block " + e.getKey() + " " + e.getValue());
    }
    Set<ChunkId> lost = new HashSet<>();
    for (IndexRef ref : parts) {
      for (IndexSegment.Blob b : repo.indexPart(ref, jobId, false).blobs()) {
        if (bad.containsKey(b.location().block())) {
          lost.add(b.id());
        }
      }
    }
    List<IndexRef> out = new ArrayList<>(parts.size());
    long removed = 0;
    for (IndexRef ref : parts) {
      IndexSegment seg = repo.indexPart(ref, jobId);
      List<IndexSegment.Block> blocks = seg.blocks().stream().filter(b -> !bad.containsKey(b.path())).toList();
      List<IndexSegment.Blob> blobs = seg.blobs().stream().filter(b -> !bad.containsKey(b.location().block()))
          .toList();
      List<FileVersion> added = new ArrayList<>(seg.added().size());
      for (FileVersion v : seg.added()) {
        if (v.chunks().stream().anyMatch(lost::contains)) {
          removed++;
          if (removed <= NAMED_FILES) {
            log.warn("data validation at " + where + ": file " + v.path() + " removed from job " + jobId
                + " (its data is in a missing or damaged block); the next backup stores it again");
          }
        } else {
          added.add(v);
        }
      }
      IndexSegment kept = new IndexSegment(seg.jobId(), seg.previousJobId(), blocks, blobs, added, seg.ended());
      out.add(repo.writeIndexPart(ref.name(), kept.encode()));
    }
    if (removed > NAMED_FILES) {
      log.warn("data validation at " + where + ": " + (removed - NAMED_FILES) + " more file(s) removed from job "
          + jobId + " for the same reason");
    }
    log.info("data validation at " + where + ": " + bad.size() + " of " + sent.size() + " block(s) of job " + jobId
        + " bad; " + removed + " file(s) removed from the job's index");
    return new Outcome(out, List.copyOf(bad.keySet()), removed);
  }
}
