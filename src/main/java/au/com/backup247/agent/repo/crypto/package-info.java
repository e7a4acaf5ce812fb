/**
 * The repository's cryptography (FORMAT §2–§3): the master key and the keys derived from it, the
 * users' key wrapping and key derivation, recovery envelopes, and the sealing of blobs with
 * authenticated encryption. Only JDK and Bouncy Castle primitives, and the shared Argon2id of
 * {@code au.com.backup247.agent.crypto} (the system's libargon2 when it is installed, Bouncy Castle's
 * otherwise, the same result); no hand-made ciphers.
 */
package au.com.backup247.agent.repo.crypto;
