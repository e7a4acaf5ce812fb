package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.Concurrently;
import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.SetName;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.sets.Deduplication;
import au.com.backup247.agent.sets.Destinations.Target;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.SetCredentials;
import au.com.backup247.agent.sets.SetKeys;
import au.com.backup247.agent.sets.SetSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a set's repositories: one per destination, at {@code <destination>/<setId>/}. A destination
 * without a repository gets one on first use, made with the set's key and settings (cipher,
 * compression, key type, fixed block size); every further one is made like the first
 * ({@link Repository#initLike}) so that one backup writes the same blocks to all of them. A set
 * whose key was sealed for recovery gets that envelope in each new repository, before its config
 * ({@code recovery/<recipient>.rcv}, FORMAT.md §11). Each repository records the set's current name
 * ({@link SetName}), so the set can be found by name under a destination root without the agent.
 *
 * <p>A destination logs in with the credentials stored for this set and this destination
 * ({@link SetCredentials}), never with another set's.
 *
 * <p>Blocking (store I/O, key derivation): call on a worker thread. A destination that cannot be
 * opened is returned with its error; the others are still usable.
 */
final class SetRepositories {

  /**
   * One destination: its repository, or why it cannot be used; the agent's record of it, and what
   * looked replayed or rolled back when it was opened (null: nothing).
   */
  record Opened(Target target, Repository repo, String error, DestinationState state, String rollback) {
  }

  private SetRepositories() {
  }

  /**
   * The set's repository at each target, its stores limited by {@code throttle} (the set's bandwidth
   * control). The existing repositories are opened all at once ({@link Concurrently}: each connects,
   * logs in and reads its config while the others do); the missing ones are then made like the first
   * that exists, in target order.
   */
  static List<Opened> open(BackupSet set, List<Target> targets, String secret, Path home, Throttle throttle) {
    long setId = set.id();
    SetSettings s = set.settings();
    List<Attempt> attempts = Concurrently.map("open", targets, t -> openIfThere(t, set, secret, home, throttle));
    List<Store> stores = new ArrayList<>();
    List<Opened> out = new ArrayList<>();
    Repository like = null;
    for (Attempt a : attempts) {
      stores.add(a.store());
      out.add(a.opened());
      like = like == null ? a.opened().repo() : like;
    }
    byte[] recovery = null;
    for (int i = 0; i < out.size(); i++) {
      Opened o = out.get(i);
      if (o.repo() != null || o.error() != null) {
        continue;
      }
      try {
        recovery = recovery != null ? recovery : recoveryEnvelope(setId, home);
        if (recovery.length > 0) { // before the config: a repository never exists without it
          stores.get(i).put(RecoveryEnvelope.objectPath(RecoveryEnvelope.recipientOf(recovery,
              "keys/" + setId + ".recovery")), recovery);
        }
        Repository made = like == null ? Repository.init(stores.get(i), initOptions(setId, s), secret)
            : Repository.initLike(stores.get(i), like, secret);
        like = like == null ? made : like;
        o.state().identify(made);
        if (SetName.recordable(s.name())) {
          SetName.record(made, s.name());
        }
        out.set(i, new Opened(o.target(), made, null, o.state(), null));
      } catch (RuntimeException e) {
        out.set(i, new Opened(o.target(), null, "destination \"" + o.target().name() + "\" (" + o.target().url()
            + "): the repository cannot be created: " + e.getMessage(), o.state(), null));
      }
    }
    return out;
  }

  /** A target's store (null when it could not be made) and what opening it found. */
  private record Attempt(Store store, Opened opened) {
  }

  /**
   * The set's existing repository at {@code t}, or none (no error) when there is no repository there
   * yet, or why it cannot be used.
   */
  private static Attempt openIfThere(Target t, BackupSet set, String secret, Path home, Throttle throttle) {
    SetSettings s = set.settings();
    Store store = null;
    Repository repo = null;
    String error = null;
    DestinationState state = null;
    String rollback = null;
    try {
      state = DestinationState.of(home, set.id(), t);
      store = store(t, set, home, throttle);
      if (store.exists(Repository.CONFIG)) {
        repo = openExisting(store, set.id(), s, secret, state);
        rollback = state.inspect(repo);
        if (SetName.recordable(s.name())) {
          SetName.record(repo, s.name()); // a renamed set's new name (FORMAT.md §12)
        }
      }
    } catch (RuntimeException e) {
      if (repo != null) {
        repo.close();
        repo = null;
      }
      error = "destination \"" + t.name() + "\" (" + t.url() + ") cannot be opened: " + e.getMessage();
    }
    return new Attempt(store, new Opened(t, repo, error, state, rollback));
  }

  /** The set's key sealed for recovery ({@code keys/<setId>.recovery}), or no bytes when it has none. */
  private static byte[] recoveryEnvelope(long setId, Path home) {
    try {
      return new SetKeys(home.resolve("keys")).readRecovery(setId).orElse(new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("the recovery envelope of set " + setId + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the set's existing repository in {@code store}, refusing one whose set id, cipher, key
   * type, format or master key differ from the set's settings and what the agent recorded when it
   * first opened it (FORMAT.md §7 "Identity"); records the identity on first use. Closes the store
   * when it fails.
   */
  static Repository openExisting(Store store, long setId, SetSettings s, String secret, DestinationState state) {
    Repository repo;
    try {
      repo = Repository.open(store, secret, state.expectation(setId, s.encryption()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      state.identify(repo);
      return repo;
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  static Repository.InitOptions initOptions(long setId, SetSettings s) {
    Deduplication d = s.deduplication();
    return new Repository.InitOptions(Long.toString(setId), s.encryption().cipher(), s.others().compression(),
        s.encryption().type(), d.autoBlockSize() ? 0 : d.blockSize(), Repository.DEFAULT_BLOCK_SIZE_MIB << 20,
        Repository.KDF_MEMORY_KIB, Repository.KDF_ITERATIONS);
  }

  /** The store of the set's folder at a destination, without a bandwidth limit. */
  static Store store(Target t, BackupSet set, Path home) {
    return store(t, set, home, Throttle.none());
  }

  /**
   * The store of the set's folder at a destination, limited by {@code throttle}, logged in with the
   * credentials stored for the set (an admins' set also with the agent's own, {@link
   * BackupSet#usesAgentCredentials}).
   */
  static Store store(Target t, BackupSet set, Path home, Throttle throttle) {
    long setId = set.id();
    DestinationUrl sub = DestinationUrl.parse(t.url()).resolve(Long.toString(setId));
    Credentials c = new SetCredentials(home.resolve("credentials")).load(setId, t.name(), // only the set's own
        set.usesAgentCredentials());
    return Destinations.open(sub, c, throttle);
  }
}
