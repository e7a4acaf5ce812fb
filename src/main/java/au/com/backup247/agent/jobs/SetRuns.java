package au.com.backup247.agent.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The runs of each backup set, and the one lock that decides which may start: every backup,
 * restore and space freeing claims its set here before it does anything, and a refused start says
 * which run holds the set. Cancelling a set's backup or restore goes through here too.
 *
 * <h2>Compatibility rule</h2>
 * <pre>
 *   starting \ running  | backup  | restore | space freeing
 *   --------------------+---------+---------+--------------
 *   backup              | refused | allowed | refused
 *   restore             | allowed | refused | refused
 *   space freeing       | refused | refused | refused
 * </pre>
 * <ul>
 *   <li>At most one backup per set: two would write the same repositories and the agent's record of
 *       each destination ({@link DestinationState}) at once.</li>
 *   <li>Space freeing runs alone: it deletes and repacks blocks and removes manifests, so a backup
 *       could deduplicate against a block it is deleting and a restore could read one it removes.
 *       "Run retention after backup" is the backup's own claim widened to space freeing
 *       ({@link Claim#widen}); when a restore of the set is running it is skipped with a warning.</li>
 *   <li>A restore may run beside a backup: it reads only committed jobs (a manifest and the blocks
 *       it names), which a backup never rewrites or deletes.</li>
 *   <li>At most one restore per set, so "cancel the set's restore" names one run.</li>
 *   <li>Confirming a destination's state (it rewrites the agent's record of the destination) is
 *       refused while a backup or space freeing holds the set ({@link #busy}).</li>
 * </ul>
 * A refused start is ALREADY_RUNNING (409) with the message {@code e.busy.<starting>.<running>}
 * naming the set and the run that holds it.
 *
 * <p>{@link LocalSetRuns} keeps the claims of one agent; the interface answers with futures so a
 * cluster-wide implementation (claims in the cluster's shared data) can take its place.
 */
interface SetRuns {

  /** What a run does to its set. */
  enum Kind {
    BACKUP("backup"), RESTORE("restore"), SPACE_FREEING("spaceFreeing");

    /** The kind's part of the bundle keys: {@code e.busy.<starting>.<running>}, {@code e.<kind>.none}. */
    final String key;

    Kind(String key) {
      this.key = key;
    }
  }

  /** Whether a run of kind {@code starting} may start while one of kind {@code running} holds the same set. */
  static boolean compatible(Kind starting, Kind running) {
    return starting == Kind.BACKUP && running == Kind.RESTORE || starting == Kind.RESTORE && running == Kind.BACKUP;
  }

  /**
   * Claims set {@code setId} for a run of {@code kind}; fails ALREADY_RUNNING (message
   * {@code e.busy.<kind>.<running kind>} with the set id and the holding run's id) when a run the
   * rule does not allow beside it holds the set. The claim has a new run id.
   */
  Future<Claim> claim(long setId, Kind kind);

  /** The run id of a run of one of {@code kinds} holding the set, if there is one. */
  Optional<String> busy(long setId, Set<Kind> kinds);

  /**
   * Asks the set's running run of {@code kind} (backup or restore) to stop and answers what its
   * {@link Claim#started} said; CONFLICT {@code e.<kind>.starting} when it is still starting (try
   * again in a moment), {@code e.<kind>.none} when there is none.
   */
  Future<JsonObject> cancel(long setId, Kind kind);

  /** Asks every running backup to stop and waits until every started run has ended (agent stop). */
  Future<Void> stop();

  /** A set held for one run; released when the run ends, or by {@link #release} if it never starts. */
  interface Claim {
    long setId();

    Kind kind();

    /** The run's id (reports' {@code runId}, and refusals name it). */
    String runId();

    /**
     * The run has started: {@code cancel} asks it to stop and answers the cancel request; the set is
     * released when {@code done} completes.
     */
    void started(Supplier<JsonObject> cancel, Future<Void> done);

    /** Also holds the set for {@code also} (retention after a backup), if the rule allows it now. */
    Future<Void> widen(Kind also);

    /** Lets the set go when the run did not start (after {@link #started}: nothing, the run's end does). */
    void release();
  }
}
