/**
 * Cryptographic functions shared by the repository's key derivation and the accounts' password
 * hashes, with no knowledge of either: one implementation of each.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every engine computes the published function: a native one is used only after it has
 *       reproduced the reference test vectors, so which engine ran never changes a result.</li>
 *   <li>No password, secret or key is put in a message, a log line or a {@code toString()}; native
 *       memory that held one is zeroed before it is freed.</li>
 *   <li>Nothing here reads configuration or depends on Vert.x: callers check their parameters.</li>
 * </ul>
 */
package au.com.backup247.agent.crypto;
