package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.JobLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A job log's listener that holds the lines it gets until {@link #release}, then passes them, and
 * every later line, to another. {@code repo backup} starts walking the sources before the
 * repositories are open: what the walk reports is printed once a job runs, after what opening
 * printed, and never when no job runs (a wrong key stays all that is reported). The walk runs a
 * bounded number of entries ahead of its job, so the lines held are bounded too.
 */
final class HeldLines implements Consumer<JobLog.Line> {
  private final Consumer<JobLog.Line> out;
  private List<JobLog.Line> held = new ArrayList<>();

  HeldLines(Consumer<JobLog.Line> out) {
    this.out = out;
  }

  @Override
  public synchronized void accept(JobLog.Line line) {
    if (held != null) {
      held.add(line);
    } else {
      out.accept(line);
    }
  }

  /** Passes the lines held so far on, in order, and every later line at once. */
  synchronized void release() {
    if (held != null) {
      held.forEach(out);
      held = null;
    }
  }
}
