package au.com.backup247.agent.schedule;

/**
 * When a scheduled backup stops: when it completes (the default), or after 1..24 hours whether or
 * not it completed. "After" is only allowed with an "at" start, never with "every" (guide).
 */
public sealed interface Stop {

  /** The default: run until the full backup is completed. */
  Stop UNTIL_COMPLETED = new UntilFullBackupCompleted();

  /** Stop once the backup job is complete. */
  record UntilFullBackupCompleted() implements Stop {
  }

  /**
   * Stop after {@code hours} (1..24) of real elapsed time, so a 3-hour limit is 3 hours even
   * across a daylight-saving change.
   */
  record AfterHours(int hours) implements Stop {
  }
}
