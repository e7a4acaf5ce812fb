package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a running job's log lines to its reports in the catalog as they come, in batches (every
 * {@value #FLUSH_MS} ms, or as soon as {@value #FLUSH_LINES} lines wait), so a job whose agent is
 * killed keeps its log up to then ("Backup not yet finished" at the next start).
 *
 * <p>The final report is the same as if nothing had been streamed: {@link #finalLines} gives the
 * lines still to append, or — when the log is long enough for {@link ReportLines} to leave lines
 * out — the whole report log with {@code replaceLog}, which replaces the streamed lines.
 *
 * <p>Writes happen on the creating context; {@link #lineAdded} may be called from any thread.
 * One write is in flight at a time; a failed write is retried with the next batch, and the final
 * write then replaces the log (the failed one may have committed), so no line is ever doubled.
 */
final class LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(LogStream.class);
  static final long FLUSH_MS = 1000;
  static final int FLUSH_LINES = 100;
  private final Vertx vertx;
  private final Context context;
  private final List<Long> reportIds;
  private JobLog log;
  private long timer = -1;
  /** Lines of the log already in the catalog. */
  private int written;
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean closed;
  /** A write failed: it may still have committed (a lost reply), so the final write replaces the log. */
  private boolean uncertain;
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private volatile int added;

  LogStream(Vertx vertx, List<Long> reportIds) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.reportIds = List.copyOf(reportIds);
  }

  /** Starts streaming {@code log} (created with a listener that calls {@link #lineAdded}). */
  void start(JobLog log) {
    this.log = log;
    timer = vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  /** Called for each new line (any thread): flushes early once a batch is full. */
  void lineAdded() {
    int n = ++added; // a racy count is fine: it only brings a flush forward
    if (n - written >= FLUSH_LINES && flushQueued.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        flushQueued.set(false);
        flush();
      });
    }
  }

  private void flush() {
    if (closed || log == null || !inFlight.isComplete()) {
      return;
    }
    List<JobLog.Line> lines = log.linesFrom(written);
    if (lines.isEmpty()) {
      return;
    }
    JsonArray a = new JsonArray();
    lines.forEach(l -> a.add(ReportLines.line(l)));
    int upTo = written + lines.size();
    inFlight = BusClient.request(vertx, Addresses.CATALOG_JOBS_LOG_APPEND,
            new JsonObject().put("ids", new JsonArray(List.<Object>copyOf(reportIds))).put("lines", a))
        .<Void>map(r -> {
          written = upTo;
          return null;
        })
        .recover(err -> {
          uncertain = true;
          LOG.warn("log lines of reports {} could not be written yet: {}", reportIds, err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Stops streaming and waits for the write in flight; call on the creating context. */
  Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return inFlight;
  }

  /**
   * What the final report write carries ({@code "lines"} and {@code "replaceLog"}), after
   * {@link #close}: the report log of {@link ReportLines#of} over every line of {@code log}.
   */
  JsonObject finalLines(JobLog log) {
    List<JobLog.Line> all = log.lines();
    if (all.size() <= 2 * ReportLines.KEEP && !uncertain) {
      JsonArray tail = new JsonArray();
      all.subList(Math.min(written, all.size()), all.size()).forEach(l -> tail.add(ReportLines.line(l)));
      return new JsonObject().put("lines", tail).put("replaceLog", false);
    }
    return new JsonObject().put("lines", ReportLines.of(all)).put("replaceLog", true);
  }
}
