package au.com.backup247.agent.catalog;

import au.com.backup247.agent.home.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded catalog: one SQLite file in WAL mode through the Vert.x SQL client.
 *
 * <p>SQLite allows one writer at a time, so writes go through a pool of exactly one connection and
 * reads through a small separate pool (WAL lets readers run beside the writer, also from another
 * process such as the CLI). A write that meets {@code SQLITE_BUSY} (another process writing) is
 * retried with backoff. Binary values are passed as {@code byte[]}, never {@code Buffer} (the
 * driver rejects blobs as Buffer).
 */
public final class SqliteCatalog implements Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteCatalog.class);
  static final int BUSY_RETRIES = 8;

  private final Vertx vertx;
  private final Path file;
  private final Pool writer;
  private final Pool reader;
  private final SqliteSets sets;
  private final SqliteJobs jobs;
  private final SqliteAccounts accounts;

  private SqliteCatalog(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
    String url = jdbcUrl(file);
    this.writer = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url),
        new PoolOptions().setMaxSize(1).setName("catalog-writer-" + file));
    this.reader = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url),
        new PoolOptions().setMaxSize(2).setName("catalog-reader-" + file));
    this.sets = new SqliteSets(this, reader);
    this.jobs = new SqliteJobs(this, reader);
    this.accounts = new SqliteAccounts(this, reader);
  }

  /** The JDBC URL with the settings that make SQLite crash-safe and friendly to a second process. */
  static String jdbcUrl(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath()
        + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true";
  }

  /** Opens (creating if needed) the catalog file and brings its schema up to date. */
  public static Future<SqliteCatalog> open(Vertx vertx, Path file) {
    return vertx.executeBlocking(() -> {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      PrivateFiles.createFile(file); // 0600; SQLite gives its -wal and -shm the database file's mode
      return null;
    }).compose(v -> {
      SqliteCatalog c = new SqliteCatalog(vertx, file);
      return new Migrations(c.writer).apply()
          .compose(version -> c.ping().map(version)) // opens a reader now, not on the first request
          .map(version -> {
            LOG.info("catalog {} at schema version {}", file, version);
            return c;
          })
          .recover(err -> c.close().transform(x -> Future.failedFuture(err)));
    });
  }

  public Path file() {
    return file;
  }

  @Override
  public Future<Integer> ping() {
    return reader.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").execute()
        .map(rs -> rs.iterator().next().getInteger("v"));
  }

  @Override
  public Future<Long> recordStart(long startedAt, String version, long pid, String node) {
    return write(c -> c.preparedQuery(
            "INSERT INTO agent_runs (started_at, version, pid, node) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(startedAt, version, pid, node))
        // not INSERT ... RETURNING: the driver leaves that statement open and the write lock held
        .map(rs -> rs.property(JDBCPool.GENERATED_KEYS).getLong(0)));
  }

  @Override
  public Future<Void> recordStop(long id, long stoppedAt) {
    return write(c -> c.preparedQuery("UPDATE agent_runs SET stopped_at = ? WHERE id = ?")
        .execute(Tuple.of(stoppedAt, id)).mapEmpty());
  }

  @Override
  public Future<Page<AgentRun>> listRuns(Long after, int limit) {
    if (limit < 1 || limit > 1000) {
      return Future.failedFuture(new IllegalArgumentException("limit must be between 1 and 1000, got " + limit));
    }
    return reader.preparedQuery("SELECT id, started_at, stopped_at, version, pid, node FROM agent_runs"
            + " WHERE id > ? ORDER BY id LIMIT ?")
        .execute(Tuple.of(after == null ? Long.MIN_VALUE : after, limit + 1))
        .map(rs -> {
          List<AgentRun> items = new ArrayList<>();
          for (Row r : rs) {
            items.add(new AgentRun(r.getLong("id"), r.getLong("started_at"), r.getLong("stopped_at"),
                r.getString("version"), r.getLong("pid"), r.getString("node")));
          }
          if (items.size() > limit) {
            items = items.subList(0, limit);
            return new Page<>(items, items.get(limit - 1).id());
          }
          return new Page<>(items, null);
        });
  }

  @Override
  public Future<Void> insertSet(SetRow row) {
    return sets.insert(row);
  }

  @Override
  public Future<Void> updateSet(long id, String name, String json, long updatedAt) {
    return sets.update(id, name, json, updatedAt);
  }

  @Override
  public Future<Void> deleteSet(long id) {
    return sets.delete(id);
  }

  @Override
  public Future<SetRow> getSet(long id) {
    return sets.get(id);
  }

  @Override
  public Future<SetRow> getSetByName(String name) {
    return sets.getByName(name);
  }

  @Override
  public Future<Map<Long, String>> setNames(Collection<Long> ids) {
    return sets.names(ids);
  }

  @Override
  public Future<Page<SetRow>> listSets(Long after, int limit, Long ownerId) {
    return sets.list(after, limit, ownerId);
  }

  @Override
  public Future<Void> setOwner(long id, Long ownerId) {
    return sets.setOwner(id, ownerId);
  }

  @Override
  public AccountStore accounts() {
    return accounts;
  }

  @Override
  public Future<Long> maxSetId() {
    return sets.maxId();
  }

  @Override
  public Future<List<Long>> insertJobs(List<JobRow> rows, List<JobRow.Line> lines) {
    return jobs.insert(rows, lines);
  }

  @Override
  public Future<Void> finishJob(long id, String jobId, String status, long endedAt, String stats,
      List<JobRow.Line> lines, boolean replaceLog) {
    return jobs.finish(id, jobId, status, endedAt, stats, lines, replaceLog);
  }

  @Override
  public Future<Void> appendJobLog(List<Long> ids, List<JobRow.Line> lines) {
    return jobs.append(ids, lines);
  }

  @Override
  public Future<Integer> markJobs(String from, String to, String message, long now) {
    return jobs.markAll(from, to, message, now);
  }

  @Override
  public Future<Page<JobRow>> listJobs(JobQuery query) {
    return jobs.list(query);
  }

  @Override
  public Future<List<JobRow>> setJobs(long setId) {
    return jobs.ofSet(setId);
  }

  @Override
  public Future<JobRow> getJob(long id) {
    return jobs.get(id);
  }

  @Override
  public Future<List<JobRow.Line>> jobLog(long id, String level, long afterSeq, int limit) {
    return jobs.lines(id, level, afterSeq, limit);
  }

  @Override
  public Future<Long> lastEvaluated(long setId) {
    return jobs.lastEvaluated(setId);
  }

  @Override
  public Future<Void> setLastEvaluated(long setId, long at) {
    return jobs.setLastEvaluated(setId, at);
  }

  /**
   * Runs a write in an explicit {@code BEGIN IMMEDIATE ... COMMIT} on the single writer connection,
   * retrying while another process holds the write lock.
   *
   * <p>Not {@code Pool.withTransaction}: vertx-jdbc-client leaves the connection in manual-commit
   * mode afterwards, and sqlite-jdbc then opens the next transaction at once, so the connection
   * would hold the database's write lock forever (found by {@code SqliteCatalogTest}).
   */
  <T> Future<T> write(Function<SqlConnection, Future<T>> op) {
    return attempt(op, 0);
  }

  static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> op) {
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
        .compose(v -> op.apply(conn)
            .compose(result -> conn.query("COMMIT").execute().map(result))
            .recover(err -> conn.query("ROLLBACK").execute().<T>transform(x -> Future.failedFuture(err)))));
  }

  private <T> Future<T> attempt(Function<SqlConnection, Future<T>> op, int tries) {
    return inTransaction(writer, op).recover(err -> {
      if (isBusy(err) && tries < BUSY_RETRIES) {
        long delay = 20L << tries;
        LOG.debug("catalog busy, retry {} in {} ms", tries + 1, delay);
        return vertx.timer(delay).compose(v -> attempt(op, tries + 1));
      }
      if (isFull(err)) { // R8: use the disk reserve once, so a job's report still gets written
        return vertx.executeBlocking(() -> SpaceReserve.release(file)).compose(released -> {
          if (!released) {
            return Future.failedFuture(err);
          }
          LOG.warn("the disk of catalog {} is full: released the {} KiB reserve to write; free space there", file,
              SpaceReserve.SIZE / 1024);
          return attempt(op, tries);
        });
      }
      return Future.failedFuture(err);
    });
  }

  /** SQLITE_FULL: the database or its journal could not grow. */
  static boolean isFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s && s.getErrorCode() == 13) {
        return true;
      }
      String m = c.getMessage();
      if (m != null && (m.contains("SQLITE_FULL") || m.contains("database or disk is full"))) {
        return true;
      }
    }
    return false;
  }

  static boolean isBusy(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s && (s.getErrorCode() == 5 || s.getErrorCode() == 6)) {
        return true;
      }
      String m = c.getMessage();
      if (m != null && (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves the write-ahead log into the database file and empties it, then closes both pools.
   *
   * <p>SQLite does this by itself only when the last connection to the file closes. Another
   * connection still open at that moment (a catalog copy being made, the CLI reading beside the
   * agent) or a process that ends before the pools' connections are really closed leaves the log
   * behind, and the next start has to replay it. A checkpoint that cannot finish is logged and the
   * pools are closed all the same: nothing committed is lost either way, the log still holds it.
   */
  @Override
  public Future<Void> close() {
    Future<Void> checkpointed = writer.query("PRAGMA wal_checkpoint(TRUNCATE)").execute()
        .<Void>map(rows -> {
          Row r = rows.iterator().hasNext() ? rows.iterator().next() : null;
          if (r != null && r.getInteger(0) != 0) {
            LOG.warn("the catalog {} was busy at close: its write-ahead log is kept and replayed at the next start",
                file);
          }
          return null;
        })
        .recover(err -> {
          LOG.warn("the catalog {}'s write-ahead log could not be checkpointed at close: {}", file, err.getMessage());
          return Future.succeededFuture();
        });
    return checkpointed.transform(x -> Future.join(writer.close(), reader.close()).mapEmpty());
  }
}
