package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a location holds, read without any key: a repository (its {@code config}), or a destination
 * root, where the agent keeps one repository per backup set in the folder {@code <setId>/}
 * (FORMAT.md, top), or neither. For each repository: the set id its config names, the name it
 * records (§12, unverified) and its committed jobs as its {@code jobs/} listing shows them.
 * Costs one listing of the location's folders and, per folder, a read of its config and name and a
 * listing of its {@code jobs/}; never a listing of the blocks.
 */
public final class SetFolders {
  /**
   * One repository: {@code folder} is "" for the location itself, else the folder under the root;
   * {@code name} null when none is recorded; {@code jobIds} its committed jobs, oldest first;
   * {@code problem} non-null when its config or name record cannot be read (then the other fields
   * may be null or empty).
   */
  public record Found(String folder, String setId, String name, List<String> jobIds, boolean encrypted,
      String problem) {
    public Found {
      jobIds = List.copyOf(jobIds);
    }

    /** How a user names it with {@code --set}: the folder (the set id the agent named it after). */
    public String id() {
      return !folder.isEmpty() ? folder : setId == null ? "?" : setId;
    }

    /** The newest committed job, or null. */
    public String lastJob() {
      return jobIds.isEmpty() ? null : jobIds.get(jobIds.size() - 1);
    }
  }

  /**
   * {@code repository}: the location is itself a repository (then {@code sets} is empty); else the
   * sets in its folders, sorted by folder, and the {@code otherFolders} that hold no repository.
   */
  public record Contents(Found repository, List<Found> sets, List<String> otherFolders) {
    public boolean isEmpty() {
      return repository == null && sets.isEmpty();
    }
  }

  private SetFolders() {
  }

  /** Looks at {@code store}: is it a repository, a destination root (with which sets), or neither? */
  public static Contents look(Store store) {
    Found self = describe(store, "");
    if (self != null) {
      return new Contents(self, List.of(), List.of());
    }
    List<Found> sets = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (String folder : store.folders("")) {
      Found f = describe(store, folder + "/");
      if (f != null) {
        sets.add(f);
      } else {
        other.add(folder);
      }
    }
    return new Contents(null, List.copyOf(sets), List.copyOf(other));
  }

  /**
   * The repository in folder {@code under} of {@code store} ("" or a path ending in '/'), or null
   * when there is none (no {@code config}).
   */
  public static Found describe(Store store, String under) {
    String folder = under.isEmpty() ? "" : under.substring(0, under.length() - 1);
    String text;
    try {
      text = new String(store.get(under + Repository.CONFIG), StandardCharsets.UTF_8);
    } catch (NoSuchObjectException e) {
      return null;
    }
    RepoConfig config = null;
    try {
      config = RepoConfig.parse(text, "config of " + store.name() + (under.isEmpty() ? "" : "/" + folder));
      String name = SetName.read(store, under).orElse(null);
      return new Found(folder, config.setId(), name, Repository.jobIds(store, under),
          config.cipher() != CipherSuite.NONE, null);
    } catch (StoreException e) {
      throw e; // the destination failed: not a problem of this repository
    } catch (RepoException e) { // unreadable config (damaged, or a newer format) or name record
      return new Found(folder, config == null ? null : config.setId(), null, List.of(), true, e.getMessage());
    }
  }
}
