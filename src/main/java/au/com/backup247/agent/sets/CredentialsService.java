package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sets service's part for destination credentials ({@link SetCredentials}): store and remove
 * them, mark the destinations that have them in every set the service returns, keep them with a
 * destination an update renames, drop those of destinations it removes, retire them with a
 * deleted set, and move the credentials of sets stored with the old {@code credentialsRef} into
 * the set's own folder (once, when the service starts).
 */
final class CredentialsService {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsService.class);
  private static final Pattern LEGACY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final Vertx vertx;
  private final SetCredentials files;
  private final Function<Long, Future<SetRow>> rows;
  private final BiFunction<String, JsonObject, Future<JsonObject>> catalog;

  CredentialsService(Vertx vertx, SetCredentials files, Function<Long, Future<SetRow>> rows,
      BiFunction<String, JsonObject, Future<JsonObject>> catalog) {
    this.vertx = vertx;
    this.files = files;
    this.rows = rows;
    this.catalog = catalog;
  }

  /** A destination of a stored set, as its settings name it. */
  private record Dest(String name, String url) {
  }

  Future<JsonObject> put(long id, String destination, JsonObject body) {
    return put(id, destination, body, false);
  }

  /**
   * Stores the destination's credentials: {@code body} replaces what was stored, or with {@code
   * merge} adds to it (a password typed at a prompt, a host key the user trusts) keeping the rest.
   */
  Future<JsonObject> put(long id, String destination, JsonObject body, boolean merge) {
    return find(id, destination).compose(d -> {
      String where = "destination \"" + d.name() + "\" of backup set " + id;
      DestinationUrl.Scheme scheme;
      try {
        scheme = DestinationUrl.parse(d.url()).scheme();
      } catch (RuntimeException e) {
        return Future.failedFuture(ValidationException.keyed("credentials", "v.credentials.url", where, e.getMessage()));
      }
      Map<String, String> values = SetCredentials.decode(body, scheme, where);
      return vertx.executeBlocking(() -> {
        if (merge) {
          Map<String, String> all = files.values(id, d.name());
          all.putAll(values);
          files.store(id, d.name(), all);
          return null;
        }
        files.store(id, d.name(), values);
        return null;
      }).map(v -> {
        LOG.info("destination credentials stored: set={} dest=\"{}\"", id, d.name());
        return new JsonObject().put("id", id).put("destination", d.name()).put("credentials", "stored");
      });
    });
  }

  Future<JsonObject> delete(long id, String destination) {
    return find(id, destination).compose(d -> vertx.executeBlocking(() -> files.delete(id, d.name()))
        .compose(deleted -> {
          if (!deleted) {
            return Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.credentials.none", d.name(), id));
          }
          LOG.info("destination credentials removed: set={} dest=\"{}\"", id, d.name());
          return Future.succeededFuture(new JsonObject().put("id", id).put("destination", d.name())
              .put("deleted", true));
        }));
  }

  /** Tests the destination with the credentials stored for the set ({@link DestinationCheck}). */
  Future<JsonObject> test(long id, String destination) {
    return find(id, destination).compose(d -> rows.apply(id).compose(row -> vertx.executeBlocking(() ->
        DestinationCheck.run(id, d.name(), d.url(), files.load(id, d.name(), row.ownerId() == null)), false)));
  }

  /**
   * Tests a destination typed for a set that is not saved yet ({@code POST /api/v1/destinations/test},
   * the wizard's "Test"): {@code "destination"} is checked as one entry of a set's destinations
   * (errors name {@code destination.url} ...) and by the caller's rights to a destination
   * ({@link SetRights#destination}); {@code "credentials"} (optional, as {@code PUT .../credentials}
   * takes them) are used for this test only ({@link SetCredentials#withTyped}): never kept, logged or
   * answered. As for the set it would make, an account's test uses only what it gives, the token's
   * (the admins') also the agent's own credentials. Answers as {@link #test}, with {@code "testedAt"}.
   */
  Future<JsonObject> testTyped(JsonObject request) {
    Caller caller = Caller.of(request);
    List<FieldError> errors = new ArrayList<>();
    Object given = request.getValue("destination");
    Destinations.Target t = null;
    if (given instanceof JsonObject d) {
      t = DestinationJson.decodeOne(d, "destination", errors);
    } else {
      errors.add(FieldError.of("destination", given == null ? "v.required" : "v.object.bare"));
    }
    if (!errors.isEmpty() || t == null) {
      return Future.failedFuture(SetService.invalid(errors, "the destination"));
    }
    Optional<AgentException> refused = SetRights.destination(caller, t);
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    Destinations.Target target = t;
    Map<String, String> values;
    Object typed = request.getValue("credentials");
    if (typed == null || typed instanceof JsonObject o && o.isEmpty()) {
      values = Map.of();
    } else if (typed instanceof JsonObject o) {
      try {
        values = SetCredentials.decode(o, DestinationUrl.parse(target.url()).scheme(),
            "destination \"" + target.name() + "\"");
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    } else {
      return Future.failedFuture(ValidationException.keyed("credentials", "v.object.bare"));
    }
    boolean agentCredentials = caller.userId() == null;
    return vertx.executeBlocking(() -> files.withTyped(target.name(), values, agentCredentials,
        c -> DestinationCheck.runUnsaved(target.name(), target.url(), c)), false);
  }

  private Future<Dest> find(long id, String destination) {
    if (destination == null || destination.isEmpty()) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.destination.missing"));
    }
    return rows.apply(id).compose(row -> {
      List<Dest> all = destinations(new JsonObject(row.json()));
      return all.stream().filter(d -> SetFields.fold(d.name()).equals(SetFields.fold(destination))).findFirst()
          .map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.destination.notFound", id, destination,
              String.join(", ", all.stream().map(Dest::name).toList()))));
    });
  }

  private static List<Dest> destinations(JsonObject settings) {
    List<Dest> out = new ArrayList<>();
    for (Object o : settings.getJsonArray("destinations", new JsonArray())) {
      if (o instanceof JsonObject d && d.getValue("name") instanceof String n && d.getValue("url") instanceof String u) {
        out.add(new Dest(n, u));
      }
    }
    return out;
  }

  /** Adds {@code "credentials": "stored"} to each destination of {@code set} that has credentials. */
  Future<JsonObject> mark(JsonObject set) {
    return vertx.executeBlocking(() -> {
      markNow(set);
      return set;
    });
  }

  /** {@link #mark} for every set of a page {@code {"items": [...], "next"}}. */
  Future<JsonObject> markPage(JsonObject page) {
    return vertx.executeBlocking(() -> {
      for (Object o : page.getJsonArray("items")) {
        markNow((JsonObject) o);
      }
      return page;
    });
  }

  private void markNow(JsonObject set) {
    long id = set.getLong("id");
    for (Object o : set.getJsonArray("destinations", new JsonArray())) {
      if (o instanceof JsonObject d && d.getValue("name") instanceof String n) {
        d.remove("credentials");
        if (files.stored(id, n)) {
          d.put("credentials", "stored");
        }
      }
    }
  }

  /**
   * After an update: a destination that kept its name keeps its credentials; one whose name went
   * away while a new name took its URL (a rename) passes them on; the others' are removed.
   */
  Future<Void> afterUpdate(long id, JsonObject oldSettings, Destinations now) {
    return vertx.executeBlocking(() -> {
      List<Dest> before = destinations(oldSettings);
      Set<String> oldNames = new HashSet<>();
      before.forEach(d -> oldNames.add(SetFields.fold(d.name())));
      Set<String> newNames = new HashSet<>();
      now.targets().forEach(t -> newNames.add(SetFields.fold(t.name())));
      for (Dest d : before) {
        if (newNames.contains(SetFields.fold(d.name())) || !files.stored(id, d.name())) {
          continue;
        }
        Optional<Destinations.Target> renamed = now.targets().stream().filter(t -> t.url().equals(d.url())
            && !oldNames.contains(SetFields.fold(t.name())) && !files.stored(id, t.name())).findFirst();
        if (renamed.isPresent()) {
          files.move(id, d.name(), renamed.get().name());
          LOG.info("destination credentials kept for the renamed destination: set={} dest=\"{}\" (was \"{}\")", id,
              renamed.get().name(), d.name());
        } else {
          files.delete(id, d.name());
          LOG.info("destination credentials removed with their destination: set={} dest=\"{}\"", id, d.name());
        }
      }
      return null;
    });
  }

  Future<Optional<Path>> retire(long id, long now) {
    return vertx.executeBlocking(() -> files.retire(id, now));
  }

  /**
   * Moves the credentials of sets stored with {@code credentialsRef} (earlier versions: a file
   * {@code credentials/<ref>} any set could name) into each set's own folder and removes the key
   * from the stored settings. Sets can no longer be given that key, so only sets stored before
   * remain to move. A ref whose file is missing or unsafe stays, and the set's validation says
   * what to do.
   */
  Future<Void> migrateLegacy(Long after) {
    return catalog.apply(Addresses.CATALOG_SETS_LIST, new JsonObject().put("after", after).put("limit", 200))
        .compose(page -> {
          Future<Void> done = Future.succeededFuture();
          for (Object o : page.getJsonArray("items")) {
            SetRow row = SetRow.fromJson((JsonObject) o);
            if (row.json().contains("\"" + DestinationJson.LEGACY_REF + "\"")) {
              done = done.compose(v -> migrate(row));
            }
          }
          Long next = page.getLong("next");
          return next == null ? done : done.compose(v -> migrateLegacy(next));
        });
  }

  private Future<Void> migrate(SetRow row) {
    JsonObject settings = new JsonObject(row.json());
    return vertx.executeBlocking(() -> moveLegacy(row.id(), settings)).compose(changed -> !changed
        ? Future.succeededFuture()
        : catalog.apply(Addresses.CATALOG_SETS_UPDATE, new JsonObject().put("id", row.id()).put("name", row.name())
            .put("json", settings.encode()).put("updatedAt", row.updatedAt())).mapEmpty());
  }

  private boolean moveLegacy(long id, JsonObject settings) throws IOException {
    boolean changed = false;
    Path dir = files.dir();
    for (Object o : settings.getJsonArray("destinations", new JsonArray())) {
      if (!(o instanceof JsonObject d) || !(d.getValue(DestinationJson.LEGACY_REF) instanceof String ref)
          || !(d.getValue("name") instanceof String name)) {
        continue;
      }
      Path legacy = dir.resolve(ref);
      if (!LEGACY_NAME.matcher(ref).matches() || !Files.isRegularFile(legacy)) {
        LOG.warn("set={} dest=\"{}\": credentialsRef \"{}\" names no file in {}; the destination cannot be used "
            + "until its credentials are stored for the set (b247 set credentials)", id, name, ref, dir);
        continue;
      }
      Map<String, String> values;
      try {
        values = Credentials.readFile(legacy);
      } catch (RuntimeException e) {
        LOG.warn("set={} dest=\"{}\": the credentials named by credentialsRef cannot be moved to the set: {}", id,
            name, e.getMessage());
        continue;
      }
      for (String k : List.of("identity-file", "known-hosts")) { // were relative to credentials/
        String v = values.get(k);
        if (v != null && !v.strip().startsWith("~") && !Path.of(v.strip()).isAbsolute()) {
          values.put(k, dir.resolve(v.strip()).toString());
        }
      }
      if (!files.stored(id, name)) {
        files.store(id, name, values);
      }
      d.remove(DestinationJson.LEGACY_REF);
      changed = true;
      LOG.info("destination credentials moved: set={} dest=\"{}\" from {} to {}; credentialsRef removed from the set "
          + "({} itself is left in place)", id, name, legacy, files.file(id, name), legacy);
    }
    return changed;
  }
}
