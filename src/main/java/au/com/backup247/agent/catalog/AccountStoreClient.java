package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Both ends of the account store on the event bus: {@link #bind} serves an {@link AccountStore}
 * (the catalog's) on {@code b247.catalog.accounts.<operation>}, and an instance of this class is an
 * {@link AccountStore} that sends each call there. The wire format of each operation is written
 * once, here, for both sides.
 */
public final class AccountStoreClient implements AccountStore {
  private final Vertx vertx;

  public AccountStoreClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Serves {@code store} on the bus; the futures complete once every consumer is registered. */
  static List<Future<?>> bind(Vertx vertx, AccountStore store, BusService.Unexpected unexpected, Logger log) {
    var ops = new LinkedHashMap<String, Function<JsonObject, Future<JsonObject>>>();
    ops.put("insert-user", b -> store.insertUser(UserRow.fromJson(b)).map(id -> new JsonObject().put("id", id)));
    ops.put("update-user", b -> store.updateUser(UserRow.fromJson(b)).map(v -> new JsonObject().put("version", v)));
    ops.put("delete-user", b -> store.deleteUser(b.getLong("id")).map(v -> new JsonObject()));
    ops.put("get-user", b -> store.getUser(b.getLong("id")).map(UserRow::toJson));
    ops.put("find-user", b -> store.findUser(b.getString("login"))
        .map(u -> new JsonObject().put("user", u.map(UserRow::toJson).orElse(null))));
    ops.put("list-users", b -> store.listUsers()
        .map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(UserRow::toJson).toList()))));
    ops.put("insert-session", b -> store.insertSession(SessionRow.fromJson(b)).map(v -> new JsonObject()));
    ops.put("get-session", b -> store.getSession(b.getString("tokenHash"))
        .map(s -> new JsonObject().put("session", s.map(SessionRow::toJson).orElse(null))));
    ops.put("list-sessions", b -> store.listSessions(b.getLong("userId"))
        .map(l -> new JsonObject().put("items", new JsonArray(l.stream().map(SessionRow::toJson).toList()))));
    ops.put("touch-session", b -> store.touchSession(b.getString("tokenHash"), b.getLong("lastSeen"))
        .map(v -> new JsonObject()));
    ops.put("delete-sessions", b -> store.deleteSessions(b.getLong("userId"), b.getString("tokenHash"),
        b.getString("publicId"), b.getString("kind"), b.getString("keepHash"), b.getLong("now"))
        .map(n -> new JsonObject().put("deleted", n)));
    ops.put("record-failures", b -> store.recordFailures(strings(b.getJsonArray("keys")), b.getLong("at"),
        b.getLong("forgetBefore")).map(v -> new JsonObject()));
    ops.put("failures", b -> store.failures(strings(b.getJsonArray("keys")), b.getLong("since"), b.getInteger("limit"))
        .map(m -> {
          JsonObject out = new JsonObject();
          m.forEach((k, v) -> out.put(k, new JsonArray(v)));
          return new JsonObject().put("failures", out);
        }));
    ops.put("clear-failures", b -> store.clearFailures(strings(b.getJsonArray("keys"))).map(v -> new JsonObject()));
    List<Future<?>> ready = new ArrayList<>();
    ops.forEach((op, fn) -> ready.add(BusService.bind(vertx, Addresses.CATALOG_ACCOUNTS + op, fn, unexpected, log)));
    return ready;
  }


  private Future<JsonObject> call(String op, JsonObject body) {
    return BusClient.request(vertx, Addresses.CATALOG_ACCOUNTS + op, body);
  }

  @Override
  public Future<Long> insertUser(UserRow user) {
    return call("insert-user", user.toJson()).map(r -> r.getLong("id"));
  }

  @Override
  public Future<Integer> updateUser(UserRow user) {
    return call("update-user", user.toJson()).map(r -> r.getInteger("version"));
  }

  @Override
  public Future<Void> deleteUser(long id) {
    return call("delete-user", new JsonObject().put("id", id)).mapEmpty();
  }

  @Override
  public Future<UserRow> getUser(long id) {
    return call("get-user", new JsonObject().put("id", id)).map(UserRow::fromJson);
  }

  @Override
  public Future<Optional<UserRow>> findUser(String login) {
    return call("find-user", new JsonObject().put("login", login))
        .map(r -> Optional.ofNullable(r.getJsonObject("user")).map(UserRow::fromJson));
  }

  @Override
  public Future<List<UserRow>> listUsers() {
    return call("list-users", new JsonObject())
        .map(r -> r.getJsonArray("items").stream().map(o -> UserRow.fromJson((JsonObject) o)).toList());
  }

  @Override
  public Future<Void> insertSession(SessionRow session) {
    return call("insert-session", session.toJson()).mapEmpty();
  }

  @Override
  public Future<Optional<SessionRow>> getSession(String tokenHash) {
    return call("get-session", new JsonObject().put("tokenHash", tokenHash))
        .map(r -> Optional.ofNullable(r.getJsonObject("session")).map(SessionRow::fromJson));
  }

  @Override
  public Future<List<SessionRow>> listSessions(long userId) {
    return call("list-sessions", new JsonObject().put("userId", userId))
        .map(r -> r.getJsonArray("items").stream().map(o -> SessionRow.fromJson((JsonObject) o)).toList());
  }

  @Override
  public Future<Void> touchSession(String tokenHash, long lastSeen) {
    return call("touch-session", new JsonObject().put("tokenHash", tokenHash).put("lastSeen", lastSeen)).mapEmpty();
  }

  @Override
  public Future<Integer> deleteSessions(long userId, String tokenHash, String publicId, String kind, String keepHash,
      long now) {
    return call("delete-sessions", new JsonObject().put("userId", userId).put("tokenHash", tokenHash)
        .put("publicId", publicId).put("kind", kind).put("keepHash", keepHash).put("now", now))
        .map(r -> r.getInteger("deleted"));
  }

  @Override
  public Future<Void> recordFailures(List<String> keys, long at, long forgetBefore) {
    return call("record-failures", new JsonObject().put("keys", new JsonArray(keys)).put("at", at)
        .put("forgetBefore", forgetBefore)).mapEmpty();
  }

  @Override
  public Future<Map<String, List<Long>>> failures(List<String> keys, long since, int limit) {
    return call("failures", new JsonObject().put("keys", new JsonArray(keys)).put("since", since).put("limit", limit))
        .map(r -> {
          Map<String, List<Long>> out = new LinkedHashMap<>();
          JsonObject f = r.getJsonObject("failures");
          for (String k : keys) {
            out.put(k, f.getJsonArray(k, new JsonArray()).stream().map(o -> ((Number) o).longValue()).toList());
          }
          return out;
        });
  }

  @Override
  public Future<Void> clearFailures(List<String> keys) {
    return call("clear-failures", new JsonObject().put("keys", new JsonArray(keys))).mapEmpty();
  }

  private static List<String> strings(JsonArray a) {
    return a.stream().map(String::valueOf).toList();
  }
}
