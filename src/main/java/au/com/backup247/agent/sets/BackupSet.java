package au.com.backup247.agent.sets;

import java.util.Objects;

/**
 * A stored backup set: its id (a millisecond timestamp, as the guide shows them, e.g.
 * "Sample-2(1567504589206)"), when it was created and last changed, its settings, and the account
 * that owns it (null: the admins', e.g. made with the local token).
 */
public record BackupSet(long id, long createdAt, long updatedAt, SetSettings settings, Long ownerId) {
  public BackupSet {
    Objects.requireNonNull(settings, "settings");
  }

  /** A set of the admins. */
  public BackupSet(long id, long createdAt, long updatedAt, SetSettings settings) {
    this(id, createdAt, updatedAt, settings, null);
  }

  /**
   * Whether its destinations may log in with what the agent's own user has (its ~/.ssh keys and
   * known_hosts, AWS_* and AZURE_* variables): only the admins' sets; an account's sets use only
   * the credentials stored for them.
   */
  public boolean usesAgentCredentials() {
    return ownerId == null;
  }
}
