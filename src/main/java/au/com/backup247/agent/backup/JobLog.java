package au.com.backup247.agent.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A job's log: info/warning/error lines with their time, also passed to a listener as they happen. */
public final class JobLog {
  /** One line of the log. */
  public record Line(Instant time, Level level, String message) {
    @Override
    public String toString() {
      return time + " " + level + " " + message;
    }
  }

  /** Line types of the guide's reports. */
  public enum Level { INFO, WARNING, ERROR }

  private final Clock clock;
  private final Consumer<Line> listener;
  private final List<Line> lines = new ArrayList<>();
  private int warnings;
  private int errors;

  public JobLog(Clock clock, Consumer<Line> listener) {
    this.clock = clock;
    this.listener = listener;
  }

  public synchronized void info(String m) {
    add(Level.INFO, m);
  }

  public synchronized void warn(String m) {
    warnings++;
    add(Level.WARNING, m);
  }

  public synchronized void error(String m) {
    errors++;
    add(Level.ERROR, m);
  }

  private void add(Level level, String m) {
    Line l = new Line(Instant.now(clock), level, m);
    if (lines.size() < 100_000) {
      lines.add(l);
    }
    listener.accept(l);
  }

  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The lines from index {@code from} on (a copy); empty when there are none. */
  public synchronized List<Line> linesFrom(int from) {
    return from >= lines.size() ? List.of() : List.copyOf(lines.subList(from, lines.size()));
  }

  /** How many lines are kept. */
  public synchronized int size() {
    return lines.size();
  }

  public synchronized int warnings() {
    return warnings;
  }

  public synchronized int errors() {
    return errors;
  }
}
