package au.com.backup247.agent.prune;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks that stop a prune when a listing cannot be trusted (TEST-MATRIX R12): an empty or
 * partial listing must never make live objects look unreferenced, nor hide a job.
 */
final class ListingGuard {
  private final Store store;
  private final JobLog log;

  ListingGuard(Store store, JobLog log) {
    this.store = store;
    this.log = log;
  }

  /** Path → size of every object under {@code prefix}. */
  Map<String, Long> list(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    for (Store.StoredObject o : store.list(prefix)) {
      out.put(o.path(), o.size());
    }
    return out;
  }

  /**
   * Refuses (TEST-MATRIX R12) when the listings cannot be trusted: jobs missing from the chain of
   * previous jobs, index parts the manifests need (and that were just read) missing, referenced
   * blocks missing that do exist when asked one by one, or objects of a job that has a manifest
   * the listing did not show.
   */
  void check(List<String> jobs, Map<String, Manifest> manifests, Set<String> blocks, Set<String> indexRefs,
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
    checkListing("index/", indexRefs, listedIndex);
    checkListing("blocks/", blocks, listedBlocks);
    Set<String> asked = new HashSet<>();
    for (String path : concat(listedBlocks.keySet(), listedIndex.keySet())) {
      String job = jobOf(path);
      if (job != null && !known.contains(job) && asked.add(job) && store.exists("jobs/" + job + ".job")) {
        throw new RepoException("not pruning " + where + ": job " + job + " exists but the listing of jobs/ "
            + "did not show it; the listing is unreliable. Nothing was changed");
      }
    }
  }

  /** Refuses when {@code listed} is empty or leaves out referenced objects that exist. */
  void checkListing(String prefix, Set<String> referenced, Map<String, Long> listed) {
    String where = store.name();
    if (referenced.isEmpty()) {
      return;
    }
    if (listed.isEmpty()) {
      throw new RepoException("not pruning " + where + ": the listing of " + prefix + " is empty although the "
          + "index refers to " + referenced.size() + " object(s) there; the listing is unreliable. "
          + "Nothing was deleted");
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
  static String jobOf(String path) {
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
}
