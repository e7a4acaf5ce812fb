package au.com.backup247.agent.schedule;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * One firing of a schedule found by {@link ScheduleEvaluator#due}: either to be run now, or
 * missed (the agent was down or busy past the grace period) and only to be reported as "Missed".
 *
 * @param schedule the schedule that fired
 * @param fireAt the firing time in the evaluation zone (offset shows which side of a DST change)
 * @param status {@link Status#RUN} or {@link Status#MISSED}
 */
public record Due(Schedule schedule, ZonedDateTime fireAt, Status status) {

  /** What the scheduler must do with a firing. */
  public enum Status {
    /** Start the backup now. */
    RUN,
    /** Do not start; record it as "Missed" in the reports. */
    MISSED
  }

  public Due {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(fireAt, "fireAt");
    Objects.requireNonNull(status, "status");
  }

  /** When the job started by this firing must be stopped, if the schedule says "after N hours". */
  public Optional<Instant> stopDeadline() {
    return ScheduleEvaluator.stopDeadline(schedule, fireAt.toInstant());
  }
}
