package au.com.backup247.agent.repo.pack;

import au.com.backup247.agent.repo.index.ChunkId;

/** One blob listed in a block header: type, id, offset in the block file, stored and raw length. */
public record BlockEntry(int type, ChunkId id, long offset, int storedLength, int rawLength) {
}
