package au.com.backup247.agent.cli;

import java.util.List;

/**
 * The exit code of a command that waited for its jobs ({@code backup --wait}, {@code restore
 * --wait}): 0 when every report says "Completed", {@link #WITH_WARNINGS} when each completed but
 * some with warnings (something was skipped or went wrong: the report says what), 1 when any failed,
 * was interrupted or missed.
 */
final class JobOutcome {
  /** Every job ran and committed, but not everything went well. */
  static final int WITH_WARNINGS = 9;

  private JobOutcome() {
  }

  static int exitCode(List<String> statuses) {
    if (statuses.stream().allMatch("Completed"::equals)) {
      return 0;
    }
    return statuses.stream().allMatch(s -> s.startsWith("Completed")) ? WITH_WARNINGS : 1;
  }
}
