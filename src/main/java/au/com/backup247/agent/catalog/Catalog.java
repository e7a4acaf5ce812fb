package au.com.backup247.agent.catalog;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The agent's state store (users, backup sets, schedules, reports, ... as later schema versions
 * add them). The default implementation is {@link SqliteCatalog}; a PostgreSQL one can implement
 * the same interface for the cluster mode.
 *
 * <p>Contract: every method returns a future completed on the caller's context; writes are durable
 * once the future succeeds; long listings are keyset-paginated ({@link Page}), never loaded whole.
 */
public interface Catalog {

  /** Succeeds with the schema version when the store answers a query. */
  Future<Integer> ping();

  /** Records a start of the agent and returns its id. */
  Future<Long> recordStart(long startedAt, String version, long pid, String node);

  /** Marks a run as cleanly stopped. */
  Future<Void> recordStop(long id, long stoppedAt);

  /** Runs with id greater than {@code after} (null for the first page), oldest first. */
  Future<Page<AgentRun>> listRuns(Long after, int limit);

  /**
   * Stores a new backup set in one transaction. Fails CONFLICT when its name (ignoring case) or
   * its id is taken; the message names the set that holds the name.
   */
  Future<Void> insertSet(SetRow row);

  /**
   * Replaces a set's name and settings ({@code json} null: renames only). Fails NOT_FOUND for an
   * unknown id, CONFLICT when another set has the name.
   */
  Future<Void> updateSet(long id, String name, String json, long updatedAt);

  /** Deletes a set; NOT_FOUND for an unknown id. */
  Future<Void> deleteSet(long id);

  /** One set; NOT_FOUND for an unknown id. */
  Future<SetRow> getSet(long id);

  /** The set named {@code name} (ignoring case, as names are unique); NOT_FOUND when there is none. */
  Future<SetRow> getSetByName(String name);

  /** The names of those of {@code ids} that are sets (a deleted set's id is left out). */
  Future<Map<Long, String>> setNames(Collection<Long> ids);

  /** Sets with id greater than {@code after} (null for the first page), by id. */
  default Future<Page<SetRow>> listSets(Long after, int limit) {
    return listSets(after, limit, null);
  }

  /** As {@link #listSets(Long, int)}, only the sets of account {@code ownerId} when it is not null. */
  Future<Page<SetRow>> listSets(Long after, int limit, Long ownerId);

  /** Gives a set to another account (null: the admins); NOT_FOUND for an unknown id. */
  Future<Void> setOwner(long id, Long ownerId);

  /** Accounts, sessions and login failures. */
  AccountStore accounts();

  /** The largest set id, 0 when there is none. */
  Future<Long> maxSetId();

  /** Stores backup reports, each starting with {@code lines}; returns their ids in order. */
  Future<List<Long>> insertJobs(List<JobRow> rows, List<JobRow.Line> lines);

  /** Ends a report: status, end, statistics, repository job id (null: unchanged); appends lines. */
  default Future<Void> finishJob(long id, String jobId, String status, long endedAt, String stats,
      List<JobRow.Line> lines) {
    return finishJob(id, jobId, status, endedAt, stats, lines, false);
  }

  /**
   * Ends a report as {@link #finishJob(long, String, String, long, String, List)}; with
   * {@code replaceLog} the report's stored lines are removed first, so {@code lines} is its whole log.
   */
  Future<Void> finishJob(long id, String jobId, String status, long endedAt, String stats, List<JobRow.Line> lines,
      boolean replaceLog);

  /** Appends {@code lines} to the log of each report in {@code ids} (a running job's lines), in one transaction. */
  Future<Void> appendJobLog(List<Long> ids, List<JobRow.Line> lines);

  /** Moves every report with status {@code from} to {@code to}, adding an error line; returns the count. */
  Future<Integer> markJobs(String from, String to, String message, long now);

  /** Reports matching the query, newest first. */
  Future<Page<JobRow>> listJobs(JobQuery query);

  /** Every backup and space freeing report of a set (not its restores), oldest first. */
  Future<List<JobRow>> setJobs(long setId);

  /** One report; NOT_FOUND for an unknown id. */
  Future<JobRow> getJob(long id);

  /** A report's log lines after {@code afterSeq}, of one level (null: all), at most {@code limit}. */
  Future<List<JobRow.Line>> jobLog(long id, String level, long afterSeq, int limit);

  /** Up to when the scheduler evaluated a set's schedules (epoch ms), or null. */
  Future<Long> lastEvaluated(long setId);

  /** Remembers up to when the scheduler evaluated a set's schedules. */
  Future<Void> setLastEvaluated(long setId, long at);

  /** Closes all connections. */
  Future<Void> close();
}
