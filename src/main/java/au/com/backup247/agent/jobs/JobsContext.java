package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bandwidth.SetBuckets;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the services of one jobs verticle share: Vert.x, the clock, the agent home, the one
 * {@link SetResolver}, the one registry of the sets' runs ({@link SetRuns}: backups, restores and
 * space freeing claim sets in it) and the sets' shared bandwidth buckets.
 */
record JobsContext(Vertx vertx, Clock clock, Path home, SetResolver sets, SetRuns runs, SetBuckets buckets) {

  /** With the set resolver of {@code home}. */
  JobsContext(Vertx vertx, Clock clock, Path home, SetRuns runs, SetBuckets buckets) {
    this(vertx, clock, home, new SetResolver(vertx, home), runs, buckets);
  }
}
