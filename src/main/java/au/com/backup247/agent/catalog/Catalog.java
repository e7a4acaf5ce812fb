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

  /** Closes all connections. */
  Future<Void> close();
}
