package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.i18n.Messages;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a user (not an admin) may put in a backup set (docs/SECURITY.md §5): no pre- or post-backup
 * commands (they run as the agent's user); sources, local destinations and the temporary folder
 * inside the account's folders (a source is checked as written and, when it exists, as the real
 * path it leads to); and no following of symbolic links, which could lead a backup outside them (a
 * user's sets do not follow links unless they ask, and asking is refused). Admins may do anything.
 * A refusal is FORBIDDEN and names what was refused, in the caller's language.
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
      return Optional.of(forbidden(caller, "rights.commands"));
    }
    for (Path p : next.source().selectedPaths()) {
      Optional<AgentException> outside = outside(caller, p, "rights.source");
      if (outside.isPresent()) {
        return outside;
      }
    }
    if (next.others().followLinks()) {
      return Optional.of(forbidden(caller, "rights.followLinks"));
    }
    Path temp = next.others().tempDirectory();
    if (temp != null && !caller.mayUsePath(temp.toString())) {
      return Optional.of(forbidden(caller, "rights.temp", temp, caller.folders()));
    }
    for (Destinations.Target t : next.destinations().targets()) {
      Optional<AgentException> outside = destination(caller, t);
      if (outside.isPresent()) {
        return outside;
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code caller} may not use destination {@code t} (saved in a set, or tested before): a local
   * one must lie in the caller's folders, as written and as the real path it leads to when it exists.
   */
  static Optional<AgentException> destination(Caller caller, Destinations.Target t) {
    Optional<Path> local = localPath(t.url());
    if (caller.isAdmin() || local.isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> real = realPath(local.get());
    if (!caller.mayUsePath(local.get().toString())) {
      return Optional.of(forbidden(caller, "rights.destination", t.name(), local.get(), caller.folders()));
    }
    return real.isPresent() && !caller.mayUsePath(real.get().toString())
        ? Optional.of(forbidden(caller, "rights.destination.real", t.name(), local.get(), real.get(), caller.folders()))
        : Optional.empty();
  }

  /**
   * Why {@code caller} may not use {@code p} (a source, a folder to browse): it lies outside the
   * caller's folders as written or, when it exists, as the real path it leads to (no escape through a
   * symbolic link). The message is {@code key} (path, folders) or {@code key.real} (path, real path,
   * folders). Admins may use any path.
   */
  static Optional<AgentException> outside(Caller caller, Path p, String key) {
    if (caller.isAdmin()) {
      return Optional.empty();
    }
    Optional<Path> real = realPath(p);
    if (caller.mayUsePath(p.toString()) && (real.isEmpty() || caller.mayUsePath(real.get().toString()))) {
      return Optional.empty();
    }
    return Optional.of(real.isPresent() && !real.get().equals(p)
        ? forbidden(caller, key + ".real", p, real.get(), caller.folders())
        : forbidden(caller, key, p, caller.folders()));
  }

  private static Optional<Path> realPath(Path p) {
    try {
      return Optional.of(p.toRealPath());
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty(); // not there (yet): checked as written
    }
  }

  /**
   * For a user's set: {@code others.followLinks} is false unless the request says otherwise (the
   * default for admins stays the guide's: follow).
   */
  static io.vertx.core.json.JsonObject userDefaults(Caller caller, io.vertx.core.json.JsonObject body) {
    if (caller.isAdmin()) {
      return body;
    }
    io.vertx.core.json.JsonObject others = body.getValue("others") instanceof io.vertx.core.json.JsonObject o ? o
        : new io.vertx.core.json.JsonObject();
    if (!others.containsKey("followLinks") && (body.getValue("others") == null || body.getValue("others") == others)) {
      body.put("others", others.copy().put("followLinks", false));
    }
    return body;
  }

  private static Optional<Path> localPath(String url) {
    try {
      DestinationUrl u = DestinationUrl.parse(url);
      return u.isLocal() ? Optional.of(u.localPath()) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty(); // validation reports a bad URL
    }
  }

  /** FORBIDDEN with the message {@code key} of the i18n bundles in the caller's language. */
  private static AgentException forbidden(Caller caller, String key, Object... args) {
    return new AgentException(Failure.FORBIDDEN, Messages.get(caller.language(), key, args));
  }

}
