package au.com.backup247.agent.repo.index;

/**
 * Where a blob is stored: the block (its path relative to the repository), the byte offset of the
 * stored blob in the block file, its stored length and the length of its plaintext.
 */
public record BlobLocation(int type, String block, long offset, int storedLength, int rawLength) {
}
