package au.com.backup247.agent.sets;

import au.com.backup247.agent.repo.compress.CompressionSetting;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The "Others" settings of a set (guide ch. 9.5), except encryption ({@link Encryption}).
 *
 * @param tempDirectory where jobs keep temporary files, or null for the agent's {@code temp/}
 * @param removeTempAfterBackup delete the job's temporary files when it ends
 * @param followLinks back up what symbolic links point to (on by default, as in the guide)
 * @param compression none, normal, fast or fast-local (the default)
 */
public record Others(Path tempDirectory, boolean removeTempAfterBackup, boolean followLinks,
    CompressionSetting compression) {

  /** Agent temp, remove after backup, follow links, fast-local. */
  public static final Others DEFAULT = new Others(null, true, true, CompressionSetting.DEFAULT);

  public Others {
    Objects.requireNonNull(compression, "compression");
  }
}
