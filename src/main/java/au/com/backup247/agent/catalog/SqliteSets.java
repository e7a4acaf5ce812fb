package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code backup_sets} table (migration V002). Every write is one {@code BEGIN IMMEDIATE}
 * transaction on the catalog's writer that first checks the name (and, for an insert, the id),
 * so a clash is reported by name and a set is never half-written.
 */
final class SqliteSets {
  private static final String COLUMNS = "id, name, json, created_at, updated_at, owner_id";
  private final SqliteCatalog catalog;
  private final Pool reader;

  SqliteSets(SqliteCatalog catalog, Pool reader) {
    this.catalog = catalog;
    this.reader = reader;
  }

  Future<Void> insert(SetRow row) {
    return catalog.write(c -> nameFree(c, row.name(), row.id())
        .compose(v -> c.preparedQuery("SELECT id FROM backup_sets WHERE id = ?").execute(Tuple.of(row.id())))
        .compose(rs -> rs.size() > 0
            ? Future.failedFuture(AgentException.of(Failure.CONFLICT, "e.set.idTaken", row.id()))
            : c.preparedQuery("INSERT INTO backup_sets (id, name, name_key, json, created_at, updated_at, owner_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)").execute(Tuple.from(new Object[] {row.id(), row.name(),
                    SetRow.nameKey(row.name()), row.json(), row.createdAt(), row.updatedAt(), row.ownerId()})))
        .mapEmpty());
  }

  /** Replaces name and settings ({@code json} null: only the name). */
  Future<Void> update(long id, String name, String json, long updatedAt) {
    return catalog.write(c -> exists(c, id)
        .compose(v -> nameFree(c, name, id))
        .compose(v -> json == null
            ? c.preparedQuery("UPDATE backup_sets SET name = ?, name_key = ?, updated_at = ? WHERE id = ?")
                .execute(Tuple.of(name, SetRow.nameKey(name), updatedAt, id))
            : c.preparedQuery("UPDATE backup_sets SET name = ?, name_key = ?, json = ?, updated_at = ? WHERE id = ?")
                .execute(Tuple.of(name, SetRow.nameKey(name), json, updatedAt, id)))
        .mapEmpty());
  }

  Future<Void> delete(long id) {
    return catalog.write(c -> exists(c, id)
        .compose(v -> c.preparedQuery("DELETE FROM backup_sets WHERE id = ?").execute(Tuple.of(id)))
        .mapEmpty());
  }

  Future<SetRow> get(long id) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_sets WHERE id = ?").execute(Tuple.of(id))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(notFound(id)) : Future.succeededFuture(row(first(rs))));
  }

  Future<SetRow> getByName(String name) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_sets WHERE name_key = ?")
        .execute(Tuple.of(SetRow.nameKey(name)))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.set.noName", name)) : Future.succeededFuture(row(first(rs))));
  }

  Future<Map<Long, String>> names(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
    return reader.preparedQuery("SELECT id, name FROM backup_sets WHERE id IN (" + marks + ")")
        .execute(Tuple.from(new ArrayList<Object>(ids)))
        .map(rs -> {
          Map<Long, String> out = new HashMap<>();
          rs.forEach(r -> out.put(r.getLong("id"), r.getString("name")));
          return out;
        });
  }

  /** Sets by id after {@code after}; with {@code ownerId} only that account's. */
  Future<Page<SetRow>> list(Long after, int limit, Long ownerId) {
    if (limit < 1 || limit > 1000) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.limit", limit));
    }
    long from = after == null ? Long.MIN_VALUE : after;
    var query = ownerId == null
        ? reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_sets WHERE id > ? ORDER BY id LIMIT ?")
            .execute(Tuple.of(from, limit + 1))
        : reader.preparedQuery("SELECT " + COLUMNS + " FROM backup_sets WHERE id > ? AND owner_id = ? ORDER BY id"
            + " LIMIT ?").execute(Tuple.of(from, ownerId, limit + 1));
    return query
        .map(rs -> {
          List<SetRow> items = new ArrayList<>();
          for (Row r : rs) {
            items.add(row(r));
          }
          if (items.size() > limit) {
            items = items.subList(0, limit);
            return new Page<>(items, items.get(limit - 1).id());
          }
          return new Page<>(items, null);
        });
  }

  /** Moves a set to another account (null: the admins). */
  Future<Void> setOwner(long id, Long ownerId) {
    return catalog.write(c -> exists(c, id)
        .compose(v -> c.preparedQuery("UPDATE backup_sets SET owner_id = ? WHERE id = ?")
            .execute(Tuple.of(ownerId, id)))
        .mapEmpty());
  }

  Future<Long> maxId() {
    return reader.query("SELECT COALESCE(MAX(id), 0) AS m FROM backup_sets").execute()
        .map(rs -> first(rs).getLong("m"));
  }

  private static Future<Void> exists(SqlConnection c, long id) {
    return c.preparedQuery("SELECT id FROM backup_sets WHERE id = ?").execute(Tuple.of(id))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(notFound(id)) : Future.succeededFuture());
  }

  private static Future<Void> nameFree(SqlConnection c, String name, long self) {
    return c.preparedQuery("SELECT id, name FROM backup_sets WHERE name_key = ? AND id <> ?")
        .execute(Tuple.of(SetRow.nameKey(name), self))
        .compose(rs -> {
          if (rs.size() == 0) {
            return Future.succeededFuture();
          }
          Row other = first(rs);
          return Future.failedFuture(AgentException.of(Failure.CONFLICT, "e.set.nameTaken", other.getString("name"),
              other.getLong("id")));
        });
  }

  private static AgentException notFound(long id) {
    return AgentException.of(Failure.NOT_FOUND, "e.set.notFound", id);
  }

  private static Row first(RowSet<Row> rs) {
    return rs.iterator().next();
  }

  private static SetRow row(Row r) {
    return new SetRow(r.getLong("id"), r.getString("name"), r.getString("json"), r.getLong("created_at"),
        r.getLong("updated_at"), r.getLong("owner_id"));
  }
}
