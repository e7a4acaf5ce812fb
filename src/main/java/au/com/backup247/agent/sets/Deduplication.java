package au.com.backup247.agent.sets;

import java.util.Objects;

/**
 * Deduplication of a set (guide ch. 9.5 "Deduplication"; on by default).
 *
 * @param enabled whether duplicate blocks are stored once
 * @param scope compare with all files of the set, or only with the same file path
 * @param blockSize 0 for "Auto" (content-defined chunks, about 1 MiB), else a fixed block size in bytes
 * @param migrateData migrate existing data to the latest version in the next backup (only when enabled)
 */
public record Deduplication(boolean enabled, Scope scope, int blockSize, boolean migrateData) {

  /** On, all files, Auto, no migration. */
  public static final Deduplication DEFAULT = new Deduplication(true, Scope.ALL, 0, false);

  /** The guide's two scopes. */
  public enum Scope implements Labeled {
    /** "All files within the same backup set". */
    ALL,
    /** "Same file path within the same backup set". */
    PATH
  }

  public Deduplication {
    Objects.requireNonNull(scope, "scope");
  }

  /** Whether the block size is "Auto". */
  public boolean autoBlockSize() {
    return blockSize == 0;
  }
}
