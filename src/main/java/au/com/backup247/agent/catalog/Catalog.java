package au.com.backup247.agent.catalog;

import io.vertx.core.Future;

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

  /** Sets with id greater than {@code after} (null for the first page), by id. */
  Future<Page<SetRow>> listSets(Long after, int limit);

  /** The largest set id, 0 when there is none. */
  Future<Long> maxSetId();

  /** Closes all connections. */
  Future<Void> close();
}
