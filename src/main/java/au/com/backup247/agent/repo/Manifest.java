package au.com.backup247.agent.repo;

/**
 * A job manifest (FORMAT.md §6): the proof that a job committed, with its statistics and the
 * size and SHA-256 of its index segment.
 */
public record Manifest(String jobId, Props props) {

  public String previousJobId() {
    String p = props.get("previousJobId");
    return p == null || p.isEmpty() ? null : p;
  }

  public long indexSize() {
    return props.requireLong("index.size", "manifest of job " + jobId);
  }

  public String indexSha256() {
    return props.require("index.sha256", "manifest of job " + jobId);
  }

  public long stat(String key) {
    String v = props.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  public String get(String key) {
    return props.get(key);
  }
}
