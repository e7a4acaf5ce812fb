/**
 * Block files and standalone sealed objects (FORMAT.md §4–§6). Invariant: compress after the id
 * hash, before encryption; a blob's nonce is its offset in its object, so no (key, nonce) repeats.
 */
package au.com.backup247.agent.repo.pack;
