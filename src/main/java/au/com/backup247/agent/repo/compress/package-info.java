/**
 * Blob compression (FORMAT §1, §3): the codec registry (the first byte of every blob body), the
 * set's compression setting and the compressor that builds and decodes blob bodies.
 */
package au.com.backup247.agent.repo.compress;
