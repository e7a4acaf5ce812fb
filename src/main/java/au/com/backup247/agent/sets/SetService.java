package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.UserKeys;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup sets service: create, read, update, rename, delete and unmask the key, with every
 * rule of {@link SetJson}. Rows are stored by the catalog (over the bus); keys by {@link SetKeys}.
 *
 * <p>Create writes the key file first, then the row in one catalog transaction; if the row is
 * refused (name taken) the key file is removed again, so a set is never half-saved. A crash
 * between the two can leave an unused key file, never a set without its key.
 */
final class SetService {
  private static final Logger LOG = LoggerFactory.getLogger(SetService.class);
  /** The create request's flag (set by the API from the account) to seal the new key for recovery. */
  static final String SEAL_FOR_RECOVERY = "sealForRecovery";
  private final Vertx vertx;
  private final Clock clock;
  private final SetKeys keys;
  private final CredentialsService credentials;
  private final SetJson.Defaults defaults;
  private final SetIds ids = new SetIds();
  private final SecureRandom random = new SecureRandom();

  SetService(Vertx vertx, Clock clock, SetKeys keys, SetCredentials credentials, SetJson.Defaults defaults) {
    this.vertx = vertx;
    this.clock = clock;
    this.keys = keys;
    this.credentials = new CredentialsService(vertx, credentials, this::row, this::catalog);
    this.defaults = defaults;
  }

  /** The destination credentials part of the service. */
  CredentialsService credentials() {
    return credentials;
  }

  /**
   * Seeds the id sequence from the catalog and moves credentials named by {@code credentialsRef}
   * into their sets; fails when the catalog is not deployed.
   */
  Future<Void> init() {
    return catalog(Addresses.CATALOG_SETS_MAX_ID, new JsonObject())
        .onSuccess(r -> ids.seed(r.getLong("maxId")))
        .compose(r -> credentials.migrateLegacy(null));
  }

  /**
   * Creates a set from its settings document; the caller ({@code "caller"}) becomes its owner.
   * {@code "sealForRecovery": true} in the request (put there by the API for an account with
   * encryption recovery) also seals the new key to the recovery public key
   * ({@link SetKeys#sealForRecovery}); without a configured recovery key that is refused.
   */
  Future<JsonObject> create(JsonObject request) {
    Caller caller = Caller.of(request);
    JsonObject body = request.copy();
    body.remove(Caller.FIELD);
    Object seal = body.remove(SEAL_FOR_RECOVERY);
    if (seal != null && !(seal instanceof Boolean)) {
      return Future.failedFuture(ValidationException.keyed(SEAL_FOR_RECOVERY, "v.boolean", seal));
    }
    if (Boolean.TRUE.equals(seal) && !keys.recoveryConfigured()) {
      return Future.failedFuture(AgentException.of(Failure.CONFLICT, "e.recovery.noKey"));
    }
    SetRights.userDefaults(caller, body);
    Decoded<SetJson.Create> d = SetJson.decodeCreate(body, defaults);
    if (!d.isValid()) {
      return Future.failedFuture(invalid(d.errors()));
    }
    SetSettings s = d.value().orElseThrow().settings();
    Optional<AgentException> refused = SetRights.refusal(caller, s, null);
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    long now = clock.millis();
    String key = !s.encryption().enabled() ? null
        : s.encryption().type() == KeyType.DEFAULT ? UserKeys.newDefaultKey(random) : d.value().get().key();
    long first = ids.next(now);
    boolean sealed = Boolean.TRUE.equals(seal) && key != null;
    Future<Long> idWithKey = key == null ? Future.succeededFuture(first)
        : vertx.executeBlocking(() -> writeKey(first, key, sealed ? s.encryption().type() : null));
    return idWithKey.compose(id -> catalog(Addresses.CATALOG_SETS_INSERT,
            new SetRow(id, s.name(), SetJson.storedForm(s), now, now, caller.userId()).toJson())
        .recover(err -> key == null ? Future.failedFuture(err) : vertx.executeBlocking(() -> {
          keys.discard(id);
          return null;
        }).transform(x -> Future.failedFuture(err)))
        .map(v -> {
          LOG.info("backup set created: set={} name=\"{}\"", id, s.name());
          changed(id, "created");
          JsonObject out = SetJson.encode(new BackupSet(id, now, now, s)).put("ownerId", caller.userId());
          if (sealed) {
            out.put("sealedForRecovery", true);
          }
          return key == null ? out : out.put("encryptionKey", key);
        }));
  }

  /**
   * Writes the key of a new set under {@code id}, or under the next free id when a key file of that
   * id is left over (a create that crashed before its row was stored), and when {@code sealAs} is
   * not null its recovery envelope; returns the id used.
   */
  private long writeKey(long id, String key, KeyType sealAs) throws IOException {
    long candidate = id;
    for (int i = 0; i < 100; i++, candidate = ids.next(candidate)) {
      if (keys.tryWrite(candidate, key)) {
        try {
          if (sealAs != null) {
            keys.sealForRecovery(candidate, sealAs, key);
          }
        } catch (IOException | RuntimeException e) {
          keys.discard(candidate);
          throw e;
        }
        return candidate;
      }
      LOG.warn("key file {} is left over from an unfinished create; using the next id", keys.file(candidate));
    }
    throw new IOException("no free key file name near " + keys.file(id));
  }

  Future<JsonObject> get(long id) {
    return row(id).map(SetService::toJson).compose(credentials::mark);
  }

  /**
   * A page of the sets the caller may see (a user: only their own); with {@code name}, the one set
   * of that name (ignoring case) when the caller may see it, else none.
   */
  Future<JsonObject> list(Long after, int limit, Caller caller, String name) {
    if (name != null) {
      return catalog(Addresses.CATALOG_SETS_GET, new JsonObject().put("name", name))
          .map(SetRow::fromJson)
          .map(r -> caller.mayUseSetOf(r.ownerId()) ? new JsonArray().add(toJson(r)) : new JsonArray())
          .recover(err -> err instanceof AgentException a && a.failure() == Failure.NOT_FOUND
              ? Future.succeededFuture(new JsonArray()) : Future.failedFuture(err))
          .map(items -> new JsonObject().put("items", items).put("next", null))
          .compose(credentials::markPage);
    }
    JsonObject q = new JsonObject().put("after", after).put("limit", limit);
    if (!caller.isAdmin()) {
      q.put("ownerId", caller.userId() == null ? -1L : caller.userId());
    }
    return catalog(Addresses.CATALOG_SETS_LIST, q)
        .map(page -> new JsonObject()
            .put("items", new JsonArray(page.getJsonArray("items").stream()
                .map(o -> toJson(SetRow.fromJson((JsonObject) o))).toList()))
            .put("next", page.getLong("next")))
        .compose(credentials::markPage);
  }

  /** Succeeds with the set's owner when the caller may use the set; NOT_FOUND otherwise (as for a missing set). */
  Future<JsonObject> access(long id, Caller caller) {
    return row(id).compose(r -> caller.mayUseSetOf(r.ownerId())
        ? Future.succeededFuture(new JsonObject().put("id", id).put("ownerId", r.ownerId()))
        : Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.set.notFound", id)));
  }

  /** Replaces every setting but the encryption (which the body may repeat unchanged). */
  Future<JsonObject> update(long id, JsonObject body, Caller caller) {
    return row(id).compose(old -> {
      JsonObject stored = new JsonObject(old.json());
      Object given = body.getValue("id");
      if (given != null && !(given instanceof Number n && n.longValue() == id)) {
        return Future.failedFuture(ValidationException.keyed("id", "v.id.path", id, given));
      }
      Decoded<SetSettings> d = SetJson.decodeUpdate(SetRights.userDefaults(caller, body.copy()), defaultsOf(stored),
          storedEncryption(stored));
      if (!d.isValid()) {
        return Future.failedFuture(invalid(d.errors()));
      }
      SetSettings s = d.value().orElseThrow();
      Optional<AgentException> refused = SetRights.refusal(caller, s, storedSettings(old));
      if (refused.isPresent()) {
        return Future.failedFuture(refused.get());
      }
      long now = Math.max(clock.millis(), old.updatedAt());
      return catalog(Addresses.CATALOG_SETS_UPDATE, new JsonObject().put("id", id).put("name", s.name())
          .put("json", SetJson.storedForm(s)).put("updatedAt", now))
          .compose(v -> credentials.afterUpdate(id, stored, s.destinations()))
          .compose(v -> {
            changed(id, "updated");
            return credentials.mark(SetJson.encode(new BackupSet(id, old.createdAt(), now, s))
                .put("ownerId", old.ownerId()));
          });
    });
  }

  Future<JsonObject> rename(long id, Object name) {
    FieldError.Problem problem = name instanceof String s ? SetFields.textProblem(s, SetJson.MAX_NAME)
        : FieldError.problem("v.required");
    if (problem != null) {
      return Future.failedFuture(invalid(List.of(FieldError.of("name", problem))));
    }
    long now = clock.millis();
    return row(id).compose(old -> catalog(Addresses.CATALOG_SETS_UPDATE, new JsonObject().put("id", id)
            .put("name", name).put("json", null).put("updatedAt", Math.max(now, old.updatedAt())))
        .compose(v -> row(id)))
        .map(r -> {
          LOG.info("backup set renamed: set={} name=\"{}\"", id, name);
          changed(id, "renamed");
          return toJson(r);
        })
        .compose(credentials::mark);
  }

  /**
   * Deletes the set; its key is kept under {@code keys/deleted/} (its backups may still need it),
   * its destination credentials under {@code credentials/deleted/}.
   */
  Future<JsonObject> delete(long id) {
    return catalog(Addresses.CATALOG_SETS_DELETE, new JsonObject().put("id", id))
        .compose(v -> credentials.retire(id, clock.millis()))
        .compose(v -> vertx.executeBlocking(() -> keys.retire(id, clock.millis())))
        .map(kept -> {
          LOG.info("backup set deleted: set={}", id);
          changed(id, "deleted");
          return new JsonObject().put("id", id).put("deleted", true)
              .put("keyKeptAt", kept.map(Path::toString).orElse(null));
        });
  }

  /** The set's encryption key (authentication of its owner comes with the auth service). */
  Future<JsonObject> unmaskKey(long id) {
    return row(id)
        .compose(r -> vertx.executeBlocking(() -> keys.read(id)))
        .compose(k -> k.isEmpty()
            ? Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.set.noKey", id, keys.file(id)))
            : Future.succeededFuture(new JsonObject().put("id", id).put("encryptionKey", k.get())))
        .onSuccess(v -> LOG.info("encryption key unmasked: set={}", id));
  }

  private Future<SetRow> row(long id) {
    return catalog(Addresses.CATALOG_SETS_GET, new JsonObject().put("id", id)).map(SetRow::fromJson);
  }

  private Future<JsonObject> catalog(String address, JsonObject body) {
    return BusClient.request(vertx, address, body);
  }

  private void changed(long id, String change) {
    vertx.eventBus().publish(Addresses.EVENT_SET_CHANGED, new JsonObject().put("id", id).put("change", change));
  }

  private SetJson.Defaults defaultsOf(JsonObject stored) {
    String owner = stored.getString("owner", defaults.owner());
    String home = stored.getJsonObject("source", new JsonObject()).getString("home");
    return new SetJson.Defaults(home == null ? defaults.home() : Path.of(home), owner);
  }

  private static Encryption storedEncryption(JsonObject stored) {
    List<FieldError> errors = new ArrayList<>();
    Encryption e = EncryptionJson.decode(stored.getJsonObject("encryption", new JsonObject()), "encryption", errors);
    if (e == null) {
      throw new AgentException(Failure.INTERNAL, "stored encryption settings are invalid: " + errors);
    }
    return e;
  }

  /** The settings a stored set had (for comparing what an update changes); null when unreadable. */
  private SetSettings storedSettings(SetRow r) {
    return SetJson.decodeStored(r, defaults).value().map(BackupSet::settings).orElse(null);
  }

  static JsonObject toJson(SetRow r) {
    return new JsonObject().put("id", r.id()).put("name", r.name()).put("createdAt", r.createdAt())
        .put("updatedAt", r.updatedAt()).put("ownerId", r.ownerId()).mergeIn(new JsonObject(r.json()));
  }

  /** One failure with every field error; the message lists the first few. */
  static ValidationException invalid(List<FieldError> errors) {
    return invalid(errors, "the backup set");
  }

  /** One failure with every field error of {@code what}; the message lists the first few. */
  static ValidationException invalid(List<FieldError> errors, String what) {
    return FieldError.invalid(errors, what);
  }
}
