package au.com.backup247.agent.repo.compress;

import au.com.backup247.agent.repo.error.RepoException;
import java.util.Locale;

/**
 * The repository's compression setting ({@code compression} in {@code config}; guide ch. 9.5),
 * see the compression table in FORMAT §1. The codec is recorded per blob, so a reader never needs
 * the setting.
 */
public enum CompressionSetting {
  /** "No Compression": codec 0. */
  NONE("none"),
  /** "Normal": zstd level 3, codec 0 when the output is not smaller. */
  NORMAL("normal"),
  /** "Fast": lz4, codec 0 when not smaller. */
  FAST("fast"),
  /**
   * "Fast with optimization for local" (the default): lz4 only when a 4 KiB sample compresses below
   * 7/8 of its size; otherwise stored without trying the rest.
   */
  FAST_LOCAL("fast-local");

  /** The guide's default: {@link #FAST_LOCAL}. */
  public static final CompressionSetting DEFAULT = FAST_LOCAL;

  private static final CompressionSetting[] VALUES = values();

  private final String label;

  CompressionSetting(String label) {
    this.label = label;
  }

  /** The label used in {@code config} and on the command line. */
  public String label() {
    return label;
  }

  /** The setting with this label (case-insensitive); {@link RepoException} naming the allowed ones. */
  public static CompressionSetting parse(String label) {
    String s = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (CompressionSetting c : VALUES) {
      if (c.label.equals(s)) {
        return c;
      }
    }
    throw new RepoException(
        "unknown compression '" + label + "'; allowed: none, normal, fast, fast-local");
  }
}
