/**
 * The repository's cryptography (FORMAT §2–§3): the master key and the keys derived from it, the
 * users' key wrapping and key derivation, recovery envelopes, and the sealing of blobs with
 * authenticated encryption. Only JDK and Bouncy Castle primitives; no hand-made ciphers.
 */
package au.com.backup247.agent.repo.crypto;
