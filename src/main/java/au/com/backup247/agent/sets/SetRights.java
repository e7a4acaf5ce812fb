package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.DestinationUrl;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a user (not an admin) may put in a backup set (docs/SECURITY.md §5): no pre- or post-backup
 * commands (they run as the agent's user), and only sources and local destinations inside the
 * account's folders. Admins may do anything. A refusal is FORBIDDEN and names what was refused.
 */
final class SetRights {
  private SetRights() {
  }

  /** Why {@code caller} may not save {@code next} (over {@code previous}, null for a new set), if so. */
  static Optional<AgentException> refusal(Caller caller, SetSettings next, SetSettings previous) {
    if (caller.isAdmin()) {
      return Optional.empty();
    }
    boolean sameCommands = previous != null && previous.preBackupCommands().equals(next.preBackupCommands())
        && previous.postBackupCommands().equals(next.postBackupCommands());
    boolean noCommands = next.preBackupCommands().isEmpty() && next.postBackupCommands().isEmpty();
    if (!noCommands && !sameCommands) {
      return Optional.of(forbidden("pre-backup and post-backup commands may only be set by an admin (they run as the "
          + "agent's user)"));
    }
    for (Path p : next.source().selectedPaths()) {
      if (!caller.mayUsePath(p.toString())) {
        return Optional.of(forbidden("source " + p + " is outside your folders " + caller.folders()));
      }
    }
    for (Destinations.Target t : next.destinations().targets()) {
      Optional<Path> local = localPath(t.url());
      if (local.isPresent() && !caller.mayUsePath(local.get().toString())) {
        return Optional.of(forbidden("destination \"" + t.name() + "\" (" + local.get() + ") is outside your folders "
            + caller.folders()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> localPath(String url) {
    try {
      DestinationUrl u = DestinationUrl.parse(url);
      return u.isLocal() ? Optional.of(u.localPath()) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty(); // validation reports a bad URL
    }
  }

  private static AgentException forbidden(String what) {
    return new AgentException(Failure.FORBIDDEN, what);
  }

}
