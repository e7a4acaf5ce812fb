/**
 * Bandwidth control (guide ch. 9.5): how fast transfers to and from destinations may go.
 * {@link au.com.backup247.agent.bandwidth.Rate} is a rate as users write it (the one grammar of the
 * CLI and of a set's limits), {@link au.com.backup247.agent.bandwidth.Mode} shared or independent,
 * {@link au.com.backup247.agent.bandwidth.BandwidthControl} a set's bandwidth settings,
 * {@link au.com.backup247.agent.bandwidth.BandwidthPeriod} when a limit applies,
 * {@link au.com.backup247.agent.bandwidth.Bandwidth} a token bucket,
 * {@link au.com.backup247.agent.bandwidth.ThrottledStore} the store decorator that draws from buckets,
 * {@link au.com.backup247.agent.bandwidth.Throttle} a limit applied to the destinations of one command
 * or job (shared or independent), and {@link au.com.backup247.agent.bandwidth.SetBuckets} backup
 * sets' bandwidth control as such throttles, owning the buckets shared mode keeps between jobs.
 *
 * <p>Invariants: the long-run rate through a bucket never exceeds its limit; uploads and downloads
 * of a destination draw from the same bucket; listing, stat and delete are never limited. Nothing
 * here imports Vert.x, the jobs, the API, the CLI or the backup pipeline.
 */
package au.com.backup247.agent.bandwidth;
