package au.com.backup247.agent.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of one file path as the retention planner sees it. A version lives from the job
 * that first saw it ({@code jobTime}) until the job that saw it change or vanish
 * ({@code endedAt}, when it moved to the Retention Area); {@code endedAt == null} means it is the
 * current version. It was the live version at job time {@code t} iff
 * {@code jobTime <= t < endedAt}.
 *
 * @param jobId the job that backed it up
 * @param jobTime start time of that job
 * @param endedAt start time of the job that superseded it, or null for the current version
 */
public record VersionInfo(String jobId, Instant jobTime, Instant endedAt) {
  public VersionInfo {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(jobTime, "jobTime");
    if (endedAt != null && endedAt.isBefore(jobTime)) {
      throw new IllegalArgumentException("version of job " + jobId + " ends (" + endedAt
          + ") before it starts (" + jobTime + ")");
    }
  }

  public boolean isCurrent() {
    return endedAt == null;
  }

  /** Whether this was the live version at job time {@code t}. */
  public boolean liveAt(Instant t) {
    return !jobTime.isAfter(t) && (endedAt == null || endedAt.isAfter(t));
  }
}
