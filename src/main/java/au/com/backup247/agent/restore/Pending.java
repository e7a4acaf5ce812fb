package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.index.FileVersion;
import java.nio.file.Path;

/**
 * An entry on its way to the target: its version, its path relative to the target (checked by
 * {@link TargetPaths#relative}) and that path under the target, as shown in messages.
 */
record Pending(FileVersion version, Path rel, Path dest) {
}
