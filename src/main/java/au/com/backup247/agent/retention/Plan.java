package au.com.backup247.agent.retention;

import java.util.List;
import java.util.Objects;

/**
 * The retention decisions for the versions of one path, in the order the versions were given.
 *
 * @param decisions one per input version
 */
public record Plan(List<Decision> decisions) {

  /** Keep the version, or remove it from every destination. */
  public enum Action { KEEP, REMOVE }

  /**
   * One decision and the reason shown in the retention report, e.g. "current version",
   * "kept by Weekly policy 'Weekly-1' (2026-11-22)", "superseded 9 days ago, older than 7 days".
   */
  public record Decision(VersionInfo version, Action action, String reason) {
    public Decision {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public Plan {
    decisions = List.copyOf(decisions);
  }

  /** The versions to remove. */
  public List<VersionInfo> toRemove() {
    return decisions.stream().filter(d -> d.action() == Action.REMOVE).map(Decision::version).toList();
  }

  /** The versions to keep. */
  public List<VersionInfo> toKeep() {
    return decisions.stream().filter(d -> d.action() == Action.KEEP).map(Decision::version).toList();
  }
}
