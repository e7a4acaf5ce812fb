package au.com.backup247.agent.retention;

import java.util.List;
import java.util.Objects;

/**
 * How long superseded and deleted versions stay in the Retention Area (guide: "Retention Policy").
 *
 * <ul>
 *   <li>{@link Simple}: keep each version for N days (1..365) after it was superseded, or until
 *       N jobs (1..365) have run after the job that superseded it. Default: 7 days.
 *   <li>{@link Advanced}: one or more named {@link SnapshotPolicy snapshot policies}; a version is
 *       kept if any of them keeps it, and removed otherwise.
 * </ul>
 * Construction only rejects nulls; use {@link RetentionValidator} for the ranges.
 */
public sealed interface RetentionPolicy {

  /** The guide's default for a file backup set: keep deleted files for 7 days. */
  Simple DEFAULT = new Simple(7, Unit.DAYS);

  /** The unit of a simple policy. */
  enum Unit { DAYS, JOBS }

  /**
   * Keep superseded versions for {@code amount} days or jobs.
   *
   * <ul>
   *   <li>DAYS: kept while {@code now - supersededAt <= amount × 24 h} (elapsed time, so the
   *       result does not depend on the zone).
   *   <li>JOBS: kept while the job that superseded the version is among the last {@code amount}
   *       jobs of the set, i.e. fewer than {@code amount} jobs ran after it. With 1 job a deleted
   *       file survives until the next backup job.
   * </ul>
   */
  record Simple(int amount, Unit unit) implements RetentionPolicy {
    public Simple {
      Objects.requireNonNull(unit, "unit");
    }
  }

  /** Named snapshot policies, combined with "or". */
  record Advanced(List<SnapshotPolicy> policies) implements RetentionPolicy {
    public Advanced {
      policies = List.copyOf(policies);
    }
  }
}
