package au.com.backup247.agent.cli;

import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Probe;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.SetFolders;
import au.com.backup247.agent.repo.SetFolders.Found;
import au.com.backup247.agent.repo.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the repository a {@code repo} command works on. {@code --repo} names a repository or a
 * destination root, where the agent keeps each backup set in {@code <root>/<setId>/}; at a root,
 * {@code --set ID|NAME} picks the set, and a root holding exactly one set is used without it. Says
 * on standard error which set of a root it uses; when it cannot choose, the error lists the sets
 * (id, recorded name, jobs, last job) so the user can.
 */
final class RepoLocator {
  static final String SET_HELP = "When --repo is a destination root (the agent keeps each backup set in "
      + "ROOT/SETID/): the set to use, by its id or its name ('repo jobs --repo ROOT' lists them). A root with only "
      + "one set needs no --set.";

  /**
   * The store of the chosen repository; {@code setId} the set id it must hold when it was chosen
   * by set (null: whatever the repository at --repo holds); {@code byName} the name it was chosen
   * by (to check against the name record once the key opened it), or null.
   */
  record Located(Store store, String setId, String byName) {
  }

  /** A destination root with several sets and no {@code --set}: its message lists them. */
  static final class SeveralSets extends AgentException {
    private static final long serialVersionUID = 1L;
    private final transient List<Found> sets;

    SeveralSets(DestinationUrl url, SetFolders.Contents contents) {
      super(Failure.BAD_REQUEST, describe(url, contents) + "; choose one with --set ID or --set NAME:\n"
          + table(contents.sets()));
      this.sets = contents.sets();
    }

    List<Found> sets() {
      return sets;
    }
  }

  private RepoLocator() {
  }

  /** The repository at {@code url}, or set {@code set} (may be null) of the destination root there. */
  static Located locate(DestinationUrl url, Credentials c, Throttle throttle, String set) {
    if (set != null && isId(set)) { // the agent's folder name: no listing needed
      Store sub = RepoOptions.store(url.resolve(set), c, throttle);
      if (exists(sub, Repository.CONFIG)) {
        note("using backup set " + set + " in " + url);
        return new Located(sub, set, null);
      }
      sub.close();
    }
    Store root = RepoOptions.store(url, c, throttle);
    try {
      SetFolders.Contents contents = SetFolders.look(root);
      if (contents.repository() != null) {
        return new Located(root, itself(url, contents.repository(), set), null);
      }
      Found chosen = choose(url, contents, set);
      root.close();
      note("using backup set " + label(chosen) + " in " + url + (set == null ? " (the only set there)" : ""));
      return new Located(RepoOptions.store(url.resolve(chosen.folder()), c, throttle), chosen.setId(),
          set != null && !set.equals(chosen.folder()) && !set.equals(chosen.setId()) ? set : null);
    } catch (RuntimeException e) {
      RepoOptions.closeQuietly(root);
      throw e;
    }
  }

  /** The set the repository at {@code url} holds, when {@code set} (if given) names it. */
  private static String itself(DestinationUrl url, Found repo, String set) {
    if (set == null) {
      return null;
    }
    if (set.equals(repo.setId()) || set.equalsIgnoreCase(repo.name() == null ? "" : repo.name())) {
      return repo.setId();
    }
    throw new AgentException(Failure.NOT_FOUND, url + " is the repository of backup set " + label(repo)
        + ", not a destination root holding set \"" + set + "\": give its root as --repo, or leave out --set");
  }

  private static Found choose(DestinationUrl url, SetFolders.Contents contents, String set) {
    List<Found> sets = contents.sets();
    if (sets.isEmpty()) {
      throw new AgentException(Failure.NOT_FOUND, nothingThere(url, contents));
    }
    if (set == null) {
      if (sets.size() == 1) {
        return sets.get(0);
      }
      throw new SeveralSets(url, contents);
    }
    List<Found> matches = new ArrayList<>();
    for (Found f : sets) {
      if (set.equals(f.folder()) || set.equals(f.setId())) {
        return f;
      }
      if (f.name() != null && f.name().equalsIgnoreCase(set)) {
        matches.add(f);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new AgentException(Failure.NOT_FOUND, (matches.isEmpty() ? "no backup set \"" + set + "\" in " + url
        : matches.size() + " backup sets in " + url + " are named \"" + set + "\": choose one by its id")
        + ". It holds:\n" + table(matches.isEmpty() ? sets : matches));
  }

  /** "URL is a destination root with N backup sets" (or the one). */
  static String describe(DestinationUrl url, SetFolders.Contents contents) {
    int n = contents.sets().size();
    return url + " is a destination root with " + (n == 1 ? "one backup set" : n + " backup sets");
  }

  /** Why there is nothing to read at {@code url}, and where to look instead. */
  static String nothingThere(DestinationUrl url, SetFolders.Contents contents) {
    List<String> folders = others(contents);
    return "no repository and no backup sets at " + url + (folders.isEmpty()
        ? ": nothing there. Check the address: give the destination as the agent had it (a set's repository is "
            + "in a folder named after the set's id inside it)"
        : ": it holds only the folder(s) " + String.join(", ", folders) + ". Is the destination one of them?");
  }

  /** The folders of a location that hold no repository, without the one {@code repo test} leaves. */
  static List<String> others(SetFolders.Contents contents) {
    String probe = Probe.FOLDER.substring(0, Probe.FOLDER.length() - 1);
    return contents.otherFolders().stream().filter(f -> !f.equals(probe)).toList();
  }

  /** The sets as a table: id, name, jobs, last job (or the problem). */
  static String table(List<Found> sets) {
    int idWidth = 2;
    int nameWidth = 4;
    for (Found f : sets) {
      idWidth = Math.max(idWidth, f.id().length());
      nameWidth = Math.max(nameWidth, name(f).length());
    }
    String format = "  %-" + idWidth + "s  %-" + nameWidth + "s  %4s  %s%n";
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "id", "name", "jobs", "last job (UTC)"));
    for (Found f : sets) {
      b.append(f.problem() != null ? String.format(Locale.ROOT, format, f.id(), name(f), "?", "cannot be read: "
          + f.problem()) : String.format(Locale.ROOT, format, f.id(), name(f), f.jobIds().size(),
          f.lastJob() == null ? "none" : f.lastJob()));
    }
    return b.toString().stripTrailing();
  }

  /** {@code 1795684595021 "Documents"}, or only the id when no name is recorded. */
  static String label(Found f) {
    return f.id() + (f.name() == null ? "" : " \"" + f.name() + "\"");
  }

  private static String name(Found f) {
    return f.name() == null ? "-" : f.name();
  }

  private static boolean isId(String set) {
    return !set.isEmpty() && set.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static boolean exists(Store store, String path) {
    try {
      return store.exists(path);
    } catch (RuntimeException e) {
      RepoOptions.closeQuietly(store);
      throw e;
    }
  }

  private static void note(String message) {
    System.err.println("note: " + message);
  }
}
