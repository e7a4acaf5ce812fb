package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.ChunkId;

/**
 * An object to be sealed into a block: its type ({@link ObjectTypes#DATA} for a chunk,
 * {@link ObjectTypes#FILE} for a batch of FILE records), id, compressed body (codec byte first) and
 * plaintext length. The body is a fresh array that nothing else holds: whoever receives the blob
 * owns it.
 */
public record NewBlob(int type, ChunkId id, byte[] body, int rawLength) {
  /** A chunk of file data. */
  public NewBlob(ChunkId id, byte[] body, int rawLength) {
    this(ObjectTypes.DATA, id, body, rawLength);
  }
}
