package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code backup_jobs}, {@code job_log} and {@code schedule_state} tables (migration V003).
 * Writes are {@code BEGIN IMMEDIATE} transactions on the catalog's single writer; a report and its
 * lines are written together.
 */
final class SqliteJobs {
  private static final String COLUMNS = "id, run_id, job_id, set_id, destination, status, trigger_type,"
      + " schedule_name, started_at, ended_at, stats";
  static final int MAX_LINES = 10_000;
  private final SqliteCatalog catalog;
  private final Pool reader;

  SqliteJobs(SqliteCatalog catalog, Pool reader) {
    this.catalog = catalog;
    this.reader = reader;
  }

  /** Inserts the rows (each with the same first log lines); returns their ids in order. */
  Future<List<Long>> insert(List<JobRow> rows, List<JobRow.Line> lines) {
    return catalog.write(c -> {
      List<Long> ids = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (JobRow r : rows) {
        chain = chain.compose(v -> c.preparedQuery("INSERT INTO backup_jobs (run_id, job_id, set_id, destination,"
                + " status, trigger_type, schedule_name, started_at, ended_at, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(Tuple.from(new Object[] {r.runId(), r.jobId(), r.setId(), r.destination(), r.status(),
                r.trigger(), r.scheduleName(), r.startedAt(), r.endedAt(), r.stats()}))
            .map(rs -> rs.property(JDBCPool.GENERATED_KEYS).getLong(0))
            .compose(id -> {
              ids.add(id);
              return appendLines(c, id, 0, lines);
            }));
      }
      return chain.map(v -> ids);
    });
  }

  /** Sets the end of a report and appends its log lines (after removing the stored ones with {@code replaceLog}). */
  Future<Void> finish(long id, String jobId, String status, long endedAt, String stats, List<JobRow.Line> lines,
      boolean replaceLog) {
    return catalog.write(c -> c.preparedQuery("UPDATE backup_jobs SET job_id = COALESCE(?, job_id), status = ?,"
            + " ended_at = ?, stats = ? WHERE id = ?").execute(Tuple.of(jobId, status, endedAt, stats, id))
        .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(notFound(id))
            : replaceLog ? c.preparedQuery("DELETE FROM job_log WHERE job_pk = ?").execute(Tuple.of(id)).mapEmpty()
            : Future.succeededFuture())
        .compose(v -> c.preparedQuery("SELECT COALESCE(MAX(seq), 0) AS m FROM job_log WHERE job_pk = ?")
            .execute(Tuple.of(id)))
        .compose(rs -> appendLines(c, id, rs.iterator().next().getLong("m"), lines)));
  }

  /** Appends the lines to each report's log (a running job's lines). */
  Future<Void> append(List<Long> ids, List<JobRow.Line> lines) {
    return catalog.write(c -> {
      Future<Void> chain = Future.succeededFuture();
      for (long id : ids) {
        chain = chain.compose(v -> c.preparedQuery("SELECT COALESCE(MAX(seq), 0) AS m FROM job_log WHERE job_pk = ?")
                .execute(Tuple.of(id)))
            .compose(rs -> appendLines(c, id, rs.iterator().next().getLong("m"), lines));
      }
      return chain;
    });
  }

  /** Changes every report in {@code from} to {@code to}; returns how many changed. */
  Future<Integer> markAll(String from, String to, String message, long now) {
    return catalog.write(c -> c.preparedQuery("SELECT id FROM backup_jobs WHERE status = ?").execute(Tuple.of(from))
        .compose(rs -> {
          List<Long> ids = new ArrayList<>();
          rs.forEach(r -> ids.add(r.getLong("id")));
          Future<Void> chain = Future.succeededFuture();
          for (long id : ids) {
            chain = chain.compose(v -> c.preparedQuery("UPDATE backup_jobs SET status = ? WHERE id = ?")
                    .execute(Tuple.of(to, id)))
                .compose(x -> c.preparedQuery("SELECT COALESCE(MAX(seq), 0) AS m FROM job_log WHERE job_pk = ?")
                    .execute(Tuple.of(id)))
                .compose(m -> appendLines(c, id, m.iterator().next().getLong("m"),
                    List.of(new JobRow.Line(0, now, "error", message))));
          }
          return chain.map(v -> ids.size());
        }));
  }

  private static Future<Void> appendLines(SqlConnection c, long id, long lastSeq, List<JobRow.Line> lines) {
    if (lines.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    long seq = lastSeq;
    for (JobRow.Line l : lines) {
      batch.add(Tuple.of(id, ++seq, l.time(), l.level(), l.message()));
    }
    return c.preparedQuery("INSERT INTO job_log (job_pk, seq, time, level, message) VALUES (?, ?, ?, ?, ?)")
        .executeBatch(batch).mapEmpty();
  }

  Future<Page<JobRow>> list(JobQuery q) {
    if (q.limit() < 1 || q.limit() > 1000) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.limit", q.limit()));
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM backup_jobs WHERE id < ?");
    Tuple args = Tuple.tuple().addValue(q.after() == null ? Long.MAX_VALUE : q.after());
    condition(sql, args, "set_id = ?", q.setId());
    condition(sql, args, "status = ?", q.status());
    condition(sql, args, "destination = ?", q.destination());
    condition(sql, args, "started_at >= ?", q.from());
    condition(sql, args, "started_at <= ?", q.to());
    condition(sql, args, "set_id IN (SELECT id FROM backup_sets WHERE owner_id = ?)", q.ownerId());
    if ("restore".equals(q.kind())) {
      sql.append(" AND trigger_type = 'restore'");
    } else if ("backup".equals(q.kind())) {
      sql.append(" AND trigger_type NOT IN ('restore', 'space-freeing', 'retention')");
    } else if ("space-freeing".equals(q.kind())) {
      sql.append(" AND trigger_type IN ('space-freeing', 'retention')");
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.addValue(q.limit() + 1);
    return reader.preparedQuery(sql.toString()).execute(args).map(rs -> {
      List<JobRow> items = new ArrayList<>();
      rs.forEach(r -> items.add(row(r)));
      if (items.size() > q.limit()) {
        List<JobRow> page = items.subList(0, q.limit());
        return new Page<>(page, page.get(q.limit() - 1).id());
      }
      return new Page<>(items, null);
    });
  }

  /** Every backup and space freeing report of a set (not restores), oldest first: the charts' series. */
  Future<List<JobRow>> ofSet(long setId) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_jobs WHERE set_id = ? AND trigger_type <> 'restore'"
        + " ORDER BY id").execute(Tuple.of(setId)).map(rs -> {
          List<JobRow> rows = new ArrayList<>();
          rs.forEach(r -> rows.add(row(r)));
          return rows;
        });
  }

  private static void condition(StringBuilder sql, Tuple args, String clause, Object value) {
    if (value != null) {
      sql.append(" AND ").append(clause);
      args.addValue(value);
    }
  }

  Future<JobRow> get(long id) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_jobs WHERE id = ?").execute(Tuple.of(id))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(row(rs.iterator().next())));
  }

  /** Log lines after {@code afterSeq}, of one level or all (null), at most {@code limit}. */
  Future<List<JobRow.Line>> lines(long id, String level, long afterSeq, int limit) {
    String sql = "SELECT seq, time, level, message FROM job_log WHERE job_pk = ? AND seq > ?"
        + (level == null ? "" : " AND level = ?") + " ORDER BY seq LIMIT ?";
    Tuple args = Tuple.of(id, afterSeq);
    if (level != null) {
      args.addValue(level);
    }
    args.addValue(Math.min(Math.max(limit, 1), MAX_LINES + 1)); // + 1: a full page's caller looks one line ahead
    return reader.preparedQuery(sql).execute(args).map(rs -> {
      List<JobRow.Line> out = new ArrayList<>();
      rs.forEach(r -> out.add(new JobRow.Line(r.getLong("seq"), r.getLong("time"), r.getString("level"),
          r.getString("message"))));
      return out;
    });
  }

  Future<Long> lastEvaluated(long setId) {
    return reader.preparedQuery("SELECT last_evaluated FROM schedule_state WHERE set_id = ?").execute(Tuple.of(setId))
        .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getLong("last_evaluated"));
  }

  Future<Void> setLastEvaluated(long setId, long at) {
    return catalog.write(c -> c.preparedQuery("DELETE FROM schedule_state WHERE set_id = ?").execute(Tuple.of(setId))
        .compose(v -> c.preparedQuery("INSERT INTO schedule_state (set_id, last_evaluated) VALUES (?, ?)")
            .execute(Tuple.of(setId, at)))
        .mapEmpty());
  }

  private static AgentException notFound(long id) {
    return AgentException.of(Failure.NOT_FOUND, "e.backupReport.notFound", id);
  }

  private static JobRow row(Row r) {
    return new JobRow(r.getLong("id"), r.getString("run_id"), r.getString("job_id"), r.getLong("set_id"),
        r.getString("destination"), r.getString("status"), r.getString("trigger_type"), r.getString("schedule_name"),
        r.getLong("started_at"), r.getLong("ended_at"), r.getString("stats"));
  }
}
