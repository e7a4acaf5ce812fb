package au.com.backup247.agent.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What to back up and how: the sources, whether symlinks are followed, the number of chunk stages
 * reading files at once ({@code threads}), the clock that names the job, the source filters and the
 * deduplication scope.
 */
public record BackupOptions(List<Path> sources, boolean followLinks, int threads, Clock clock, List<Filter> filters,
    DedupScope dedup) {
  public BackupOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
  }

  public BackupOptions(List<Path> sources, boolean followLinks, int threads, Clock clock) {
    this(sources, followLinks, threads, clock, List.of(), DedupScope.ALL);
  }

  public static BackupOptions of(List<Path> sources) {
    return new BackupOptions(sources, false, Math.max(1, Runtime.getRuntime().availableProcessors()),
        Clock.systemUTC());
  }
}
