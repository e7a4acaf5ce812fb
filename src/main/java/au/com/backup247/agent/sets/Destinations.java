package au.com.backup247.agent.sets;

import java.util.List;
import java.util.Objects;

/**
 * Where a set is backed up (guide ch. 9.5 "Destination"): one or more destinations, written one
 * after another (sequential, the default) or at the same time (concurrent, at most
 * {@code maxConcurrent} at once).
 *
 * @param mode sequential or concurrent
 * @param maxConcurrent how many destinations a concurrent backup writes at once
 * @param targets the destinations, in order
 */
public record Destinations(Mode mode, int maxConcurrent, List<Target> targets) {

  /** Default of {@code maxConcurrent}. */
  public static final int DEFAULT_MAX_CONCURRENT = 2;

  /** The guide's backup modes. */
  public enum Mode implements Labeled {
    SEQUENTIAL, CONCURRENT
  }

  /**
   * One destination of a set.
   *
   * @param name unique within the set (ignoring case), e.g. "Local-1"
   * @param url where it is, e.g. {@code file:///mnt/backup} or {@code sftp://backup@host:22/srv/b247};
   *     never a password (the credentials are stored for the set: {@link SetCredentials})
   */
  public record Target(String name, String url) {
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
    }
  }

  public Destinations {
    Objects.requireNonNull(mode, "mode");
    targets = List.copyOf(targets);
  }
}
