package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations.Target;
import au.com.backup247.agent.sets.SetJson;
import au.com.backup247.agent.sets.SetKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one way a job (backup, restore, browsing, space freeing, confirming a destination's state)
 * turns a set id into what it works with: the set as stored (decoded and checked), whether the
 * caller may use it, its destinations by name and its encryption key.
 *
 * <ul>
 *   <li>Who: a caller who may not use the set ({@link Caller#mayUseSetOf}) gets NOT_FOUND, as for a
 *       missing set (the API checks it before forwarding too; a request without a caller comes from
 *       the agent itself).</li>
 *   <li>Settings that no longer decode are an INTERNAL failure naming the set and its errors.</li>
 *   <li>An encrypted set whose key file is missing is UNAVAILABLE naming the file.</li>
 * </ul>
 */
final class SetResolver {
  private final Vertx vertx;
  private final SetKeys keys;
  private final SetJson.Defaults defaults;

  SetResolver(Vertx vertx, Path home) {
    this.vertx = vertx;
    this.keys = new SetKeys(home.resolve("keys"));
    this.defaults = new SetJson.Defaults(Path.of(System.getProperty("user.home")), "agent");
  }

  /** A set ready for a job: its settings and its key (null when it is not encrypted). */
  record Resolved(BackupSet set, String secret) {
    /** Every destination of the set, or those {@code names} lists (a non-empty JSON array, ignoring case). */
    List<Target> targets(Object names) {
      List<Target> all = set.settings().destinations().targets();
      if (names == null) {
        return all;
      }
      if (!(names instanceof JsonArray a) || a.isEmpty()) {
        throw AgentException.of(Failure.BAD_REQUEST, "e.destinations.list");
      }
      List<Target> out = new ArrayList<>();
      for (Object n : a) {
        Target t = target(n);
        if (!out.contains(t)) {
          out.add(t);
        }
      }
      return out;
    }

    /** The destination named {@code name} (ignoring case); BAD_REQUEST listing the set's destinations otherwise. */
    Target target(Object name) {
      List<Target> all = set.settings().destinations().targets();
      return all.stream().filter(x -> name instanceof String s
              && x.name().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> AgentException.of(Failure.BAD_REQUEST, "e.destination.notOf", name, set.id(),
              all.stream().map(Target::name).toList()));
    }
  }

  /** The set {@code id} for the caller of {@code body} ({@link Caller#of}). */
  Future<Resolved> resolve(long id, JsonObject body) {
    return resolve(id, Caller.of(body));
  }

  Future<Resolved> resolve(long id, Caller caller) {
    return BusClient.request(vertx, Addresses.SETS_GET, new JsonObject().put("id", id)).compose(json -> {
      Decoded<BackupSet> d = SetJson.decodeSet(json, defaults);
      if (!d.isValid()) {
        return Future.failedFuture(new AgentException(Failure.INTERNAL, "backup set " + id
            + " has invalid stored settings: " + d.errors()));
      }
      BackupSet set = d.value().orElseThrow();
      if (!caller.mayUseSetOf(set.ownerId())) {
        return Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.set.notFound", id));
      }
      return secret(set).map(secret -> new Resolved(set, secret));
    });
  }

  private Future<String> secret(BackupSet set) {
    if (!set.settings().encryption().enabled()) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> keys.read(set.id()), false)
        .compose(k -> k.isPresent() ? Future.succeededFuture(k.get())
            : Future.failedFuture(AgentException.of(Failure.UNAVAILABLE, "e.set.keyMissing", set.id(),
                keys.file(set.id()))));
  }
}
