/**
 * Destinations as users name them: {@link au.com.backup247.agent.destination.DestinationUrl} (a
 * folder, {@code sftp://}, {@code ftp://}, {@code ftps://}, {@code s3://}, {@code azure://}),
 * {@link au.com.backup247.agent.destination.Credentials} (secrets from a private file or the standard
 * environment variables, never from URLs or command lines), and
 * {@link au.com.backup247.agent.destination.Destinations}, which turns both into a
 * {@link au.com.backup247.agent.repo.store.Store} with its decorators (retry for remote stores,
 * bandwidth {@link au.com.backup247.agent.bandwidth.Throttle}).
 *
 * <p>Invariants: no secret is ever part of a URL, a {@code toString()} or an error message; every
 * error is one line naming the bad part; nothing here imports Vert.x or the backup pipeline.
 */
package au.com.backup247.agent.destination;
