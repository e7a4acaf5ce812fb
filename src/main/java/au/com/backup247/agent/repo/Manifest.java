package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A job manifest (FORMAT.md §6): the proof that a job committed, with its statistics and the
 * size and SHA-256 of each part of its index segment and of its checkpoint, if it wrote one.
 */
public record Manifest(String jobId, Props props) {

  public String previousJobId() {
    String p = props.get("previousJobId");
    return p == null || p.isEmpty() ? null : p;
  }

  /** The parts of the job's index segment (at least one). */
  public List<IndexRef> segmentRefs() {
    return refs("index", "idx", Math.max(1, (int) stat("index.parts")), base("index.rev"));
  }

  /**
   * The parts of the checkpoint written with this job; empty when it wrote none. The first job of a
   * repository has nothing to merge with, so its segment is its checkpoint ({@code
   * checkpoint.segment=true}, FORMAT.md §5).
   */
  public List<IndexRef> checkpointRefs() {
    if ("true".equals(props.get("checkpoint.segment"))) {
      return segmentRefs();
    }
    return refs("checkpoint", "ckp", (int) stat("checkpoint.parts"), base("checkpoint.rev"));
  }

  /**
   * Object path of the parts without extension: {@code index/<jobId>}, or {@code index/<jobId>.r<N>}
   * once a prune rewrote them as revision N (key {@code index.rev} or {@code checkpoint.rev},
   * FORMAT.md §10).
   */
  private String base(String revKey) {
    String r = props.get(revKey);
    return r == null || r.isEmpty() ? "index/" + jobId : revisionBase(jobId, props.requireLong(revKey, "manifest of job " + jobId));
  }

  /** {@code index/<jobId>.r<rev>}: where revision {@code rev} of a job's index objects is stored. */
  public static String revisionBase(String jobId, long rev) {
    return "index/" + jobId + ".r" + rev;
  }

  private List<IndexRef> refs(String key, String ext, int n, String base) {
    String what = "manifest of job " + jobId;
    List<IndexRef> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String k = i == 0 ? key : key + "." + i;
      out.add(new IndexRef(IndexPartWriter.partName(base, ext, i), props.requireLong(k + ".size", what),
          props.require(k + ".sha256", what)));
    }
    return out;
  }

  /** Records index or checkpoint parts in manifest properties ({@code key} "index" or "checkpoint"). */
  public static void putRefs(Props props, String key, List<IndexRef> refs) {
    props.put(key + ".parts", refs.size());
    for (int i = 0; i < refs.size(); i++) {
      String k = i == 0 ? key : key + "." + i;
      props.put(k + ".size", refs.get(i).size()).put(k + ".sha256", refs.get(i).sha256());
    }
  }

  /** Separates the source folders in the {@code sources} property. */
  public static final String SOURCES_SEPARATOR = "|";

  /** The job's source folders (absolute, as stored), in the order given; empty when not recorded. */
  public List<String> sources() {
    String s = props.get("sources");
    return s == null || s.isEmpty() ? List.of() : List.of(s.split(java.util.regex.Pattern.quote(SOURCES_SEPARATOR)));
  }

  public long stat(String key) {
    String v = props.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  public String get(String key) {
    return props.get(key);
  }
}
