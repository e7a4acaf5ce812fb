package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.ChunkId;

/**
 * A chunk to be stored: its id, compressed body (codec byte first) and plaintext length. The body
 * is a fresh array that nothing else holds: whoever receives the blob owns it.
 */
public record NewBlob(ChunkId id, byte[] body, int rawLength) {
}
