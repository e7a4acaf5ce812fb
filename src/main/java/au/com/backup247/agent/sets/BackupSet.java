package au.com.backup247.agent.sets;

import java.util.Objects;

/**
 * A stored backup set: its id (a millisecond timestamp, as the guide shows them, e.g.
 * "Sample-2(1567504589206)"), when it was created and last changed, and its settings.
 */
public record BackupSet(long id, long createdAt, long updatedAt, SetSettings settings) {
  public BackupSet {
    Objects.requireNonNull(settings, "settings");
  }
}
