package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bandwidth.SetBuckets;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Where browsing and restoring read from: the set and destination a request names (with the set's
 * key), the set's repository there opened read-only (no lock, nothing cached), its history as of a
 * job, and the worker thread all of that runs on. Failures are {@link AgentException}s naming the
 * set and the destination.
 */
final class RestorePlaces {
  /** One destination of one set, with the key to open its repository. */
  record Place(BackupSet set, Destinations.Target target, String secret) {
  }

  private final Vertx vertx;
  private final Path home;
  private final SetResolver sets;
  /** The sets' bandwidth buckets, shared with the backups. */
  private final SetBuckets buckets;

  RestorePlaces(JobsContext ctx) {
    this.vertx = ctx.vertx();
    this.home = ctx.home();
    this.buckets = ctx.buckets();
    this.sets = ctx.sets();
  }

  /** The set and its destination named in {@code body}, with the set's key. */
  Future<Place> place(JsonObject body) {
    long id = id(body);
    String name = string(body, "destination");
    if (name == null) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.destination.name"));
    }
    return sets.resolve(id, body).map(r -> new Place(r.set(), r.target(name), r.secret()));
  }

  /** The set's repository at the destination, read-only; NOT_FOUND when nothing was backed up there. */
  Repository open(Place p) {
    Store store;
    try {
      store = SetRepositories.store(p.target(), p.set(), home,
          buckets.throttle(p.set().id(), p.set().settings().bandwidth())); // guide ch. 9.5: restores too
    } catch (RuntimeException e) {
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.open", p.target().name(), p.target().url(),
          e.getMessage());
    }
    try {
      if (!store.exists(Repository.CONFIG)) {
        store.close();
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.noneYet", p.target().name(), p.set().id());
      }
      return SetRepositories.openExisting(store, p.set().id(), p.set().settings(), p.secret(),
          DestinationState.of(home, p.set().id(), p.target())); // the repository the set recorded, no other
    } catch (RepoException e) {
      store.close();
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.failed", p.target().name(), p.set().id(),
          e.getMessage());
    }
  }

  /**
   * The history as of {@code job} (null: the latest): with {@code versions} every version kept
   * ({@link History#load}), else only the versions current then ({@link History#current}).
   */
  static History history(Repository repo, Place p, String job, boolean versions) {
    try {
      return versions ? History.load(repo, job) : History.current(repo, job);
    } catch (RepoException e) {
      throw AgentException.of(job != null && e.getMessage().contains("does not exist") ? Failure.NOT_FOUND
          : Failure.UNAVAILABLE, "e.restore.nothing", p.set().id(), p.target().name(), e.getMessage());
    }
  }

  /** Runs {@code op} on a worker thread; a repository failure becomes UNAVAILABLE. */
  <T> Future<T> blocking(Callable<T> op) {
    return vertx.executeBlocking(() -> {
      try {
        return op.call();
      } catch (RepoException e) {
        throw new AgentException(Failure.UNAVAILABLE, e.getMessage());
      }
    }, false);
  }

  /** The set id of a request (BAD_REQUEST when missing). */
  static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.set.idMissing");
    }
    return id;
  }

  private static String string(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.nonEmpty", field);
    }
    return s;
  }
}
