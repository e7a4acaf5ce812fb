package au.com.backup247.agent.jobs;

import java.util.Arrays;
import java.util.Optional;

/** The report statuses of the guide (ch. 9.6), stored and shown by their label. */
public enum JobStatus {
  COMPLETED("Completed"),
  COMPLETED_WITH_WARNINGS("Completed with warning(s)"),
  INTERRUPTED("Interrupted"),
  INTERRUPTED_WITH_ERRORS("Interrupted with error(s)"),
  FAILED("Failed"),
  IN_PROGRESS("In progress"),
  NOT_FINISHED("Backup not yet finished"),
  MISSED("Missed");

  private final String label;

  JobStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The status with this label (exact, or ignoring case). */
  public static Optional<JobStatus> parse(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equalsIgnoreCase(label.trim())).findFirst();
  }

  /** "Completed, Completed with warning(s), ..." for error messages. */
  public static String allowed() {
    return String.join(", ", Arrays.stream(values()).map(JobStatus::label).toList());
  }
}
