/**
 * The building blocks of accounts, login and two-factor authentication (docs/SECURITY.md): plain
 * classes with no verticles, routes or catalog, put together by the account service.
 *
 * <p>Invariants:
 * <ul>
 *   <li>No password, token, TOTP secret, recovery code or passcode is kept in clear or put in a
 *       message, a log line or a {@code toString()}: passwords are stored as Argon2id PHC strings,
 *       recovery codes and passcodes as hashes, TOTP secrets sealed with the agent's secret.</li>
 *   <li>Secrets and codes are compared in constant time ({@code MessageDigest.isEqual}).</li>
 *   <li>Time comes from an injected {@link java.time.Clock}, randomness from an injected
 *       {@link java.security.SecureRandom}; nothing here reads the system clock.</li>
 *   <li>Argon2id is blocking and memory-hard: its callers run it on a worker thread.</li>
 *   <li>Files holding secrets are created 0600 and refused when group or others may read them,
 *       with a message naming the path.</li>
 * </ul>
 */
package au.com.backup247.agent.auth;
