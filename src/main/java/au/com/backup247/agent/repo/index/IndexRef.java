package au.com.backup247.agent.repo.index;

/**
 * One stored index object (a part of a job's index segment or of a checkpoint) as its manifest
 * records it: object path, size and SHA-256 (hex) of the stored bytes (FORMAT.md §5, §6).
 */
public record IndexRef(String name, long size, String sha256) {
}
