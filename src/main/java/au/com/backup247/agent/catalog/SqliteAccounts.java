package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code users}, {@code sessions} and {@code auth_failures} tables (migration V004). Every
 * write is one {@code BEGIN IMMEDIATE} transaction on the catalog's writer; an account update names
 * the version it read and fails CONFLICT when another update came first.
 */
final class SqliteAccounts implements AccountStore {
  private static final String USER_COLUMNS = "id, login, display_name, role, password_hash, profile, security,"
      + " version, created_at, updated_at";
  private static final String SESSION_COLUMNS = "token_hash, public_id, user_id, kind, csrf, created_at, last_seen,"
      + " expires_at, client";
  private final SqliteCatalog catalog;
  private final Pool reader;

  SqliteAccounts(SqliteCatalog catalog, Pool reader) {
    this.catalog = catalog;
    this.reader = reader;
  }

  @Override
  public Future<Long> insertUser(UserRow u) {
    return catalog.write(c -> loginFree(c, u.login(), 0)
        .compose(v -> c.preparedQuery("INSERT INTO users (login, login_key, display_name, role, password_hash,"
                + " profile, security, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)")
            .execute(Tuple.from(new Object[] {u.login(), UserRow.loginKey(u.login()), u.displayName(), u.role(),
                u.passwordHash(), u.profile(), u.security(), u.createdAt(), u.updatedAt()})))
        .map(rs -> rs.property(JDBCPool.GENERATED_KEYS).getLong(0)));
  }

  /**
   * Replaces the account's fields (not its login or id) when its version is still {@code u.version()};
   * returns the new version. Fails NOT_FOUND or CONFLICT (changed meanwhile: read it again).
   */
  @Override
  public Future<Integer> updateUser(UserRow u) {
    return catalog.write(c -> c.preparedQuery("UPDATE users SET display_name = ?, role = ?, password_hash = ?,"
            + " profile = ?, security = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")
        .execute(Tuple.from(new Object[] {u.displayName(), u.role(), u.passwordHash(), u.profile(), u.security(),
            u.updatedAt(), u.id(), u.version()}))
        .compose(rs -> rs.rowCount() == 1 ? Future.succeededFuture(u.version() + 1)
            : c.preparedQuery("SELECT id FROM users WHERE id = ?").execute(Tuple.of(u.id()))
                .compose(found -> Future.failedFuture(found.size() == 0 ? noUser(u.id())
                    : AgentException.of(Failure.CONFLICT, "e.account.changed", u.login())))));
  }

  @Override
  public Future<Void> deleteUser(long id) {
    return catalog.write(c -> c.preparedQuery("DELETE FROM users WHERE id = ?").execute(Tuple.of(id))
        .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(noUser(id))
            : c.preparedQuery("UPDATE backup_sets SET owner_id = NULL WHERE owner_id = ?").execute(Tuple.of(id)))
        .mapEmpty());
  }

  @Override
  public Future<UserRow> getUser(long id) {
    return reader.preparedQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?").execute(Tuple.of(id))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(noUser(id)) : Future.succeededFuture(user(first(rs))));
  }

  @Override
  public Future<Optional<UserRow>> findUser(String login) {
    return reader.preparedQuery("SELECT " + USER_COLUMNS + " FROM users WHERE login_key = ?")
        .execute(Tuple.of(UserRow.loginKey(login)))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(user(first(rs))));
  }

  /** Every account, by id (an agent has few; no paging). */
  @Override
  public Future<List<UserRow>> listUsers() {
    return reader.query("SELECT " + USER_COLUMNS + " FROM users ORDER BY id").execute()
        .map(rs -> {
          List<UserRow> out = new ArrayList<>();
          rs.forEach(r -> out.add(user(r)));
          return out;
        });
  }

  @Override
  public Future<Void> insertSession(SessionRow s) {
    return catalog.write(c -> c.preparedQuery("INSERT INTO sessions (" + SESSION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.from(new Object[] {s.tokenHash(), s.publicId(), s.userId(), s.kind(), s.csrf(), s.createdAt(),
            s.lastSeen(), s.expiresAt(), s.client()}))
        .mapEmpty());
  }

  @Override
  public Future<Optional<SessionRow>> getSession(String tokenHash) {
    return reader.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE token_hash = ?")
        .execute(Tuple.of(tokenHash))
        .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(session(first(rs))));
  }

  @Override
  public Future<List<SessionRow>> listSessions(long userId) {
    return reader.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE user_id = ? ORDER BY created_at")
        .execute(Tuple.of(userId))
        .map(rs -> {
          List<SessionRow> out = new ArrayList<>();
          rs.forEach(r -> out.add(session(r)));
          return out;
        });
  }

  @Override
  public Future<Void> touchSession(String tokenHash, long lastSeen) {
    return catalog.write(c -> c.preparedQuery("UPDATE sessions SET last_seen = ? WHERE token_hash = ?")
        .execute(Tuple.of(lastSeen, tokenHash)).mapEmpty());
  }

  /**
   * Deletes sessions of an account: one by token hash or by public id, or (both null) all of a kind
   * (null: every kind) except {@code keepHash}; also every expired session of any account. Returns
   * how many went.
   */
  @Override
  public Future<Integer> deleteSessions(long userId, String tokenHash, String publicId, String kind, String keepHash,
      long now) {
    StringBuilder sql = new StringBuilder("DELETE FROM sessions WHERE user_id = ?");
    List<Object> args = new ArrayList<>(List.of(userId));
    if (tokenHash != null) {
      sql.append(" AND token_hash = ?");
      args.add(tokenHash);
    }
    if (publicId != null) {
      sql.append(" AND public_id = ?");
      args.add(publicId);
    }
    if (kind != null) {
      sql.append(" AND kind = ?");
      args.add(kind);
    }
    if (keepHash != null) {
      sql.append(" AND token_hash <> ?");
      args.add(keepHash);
    }
    return catalog.write(c -> c.preparedQuery(sql.toString()).execute(Tuple.from(args))
        .compose(rs -> c.preparedQuery("DELETE FROM sessions WHERE expires_at < ?").execute(Tuple.of(now))
            .map(x -> rs.rowCount())));
  }

  /** Records one failure under each key and forgets failures older than {@code forgetBefore}. */
  @Override
  public Future<Void> recordFailures(List<String> keys, long at, long forgetBefore) {
    return catalog.write(c -> {
      Future<Void> chain = c.preparedQuery("DELETE FROM auth_failures WHERE at < ?").execute(Tuple.of(forgetBefore))
          .mapEmpty();
      for (String k : keys) {
        chain = chain.compose(v -> c.preparedQuery("INSERT INTO auth_failures (key, at) VALUES (?, ?)")
            .execute(Tuple.of(k, at)).mapEmpty());
      }
      return chain;
    });
  }

  /** Per key: the failures since {@code since}, newest first (at most {@code limit} each). */
  @Override
  public Future<Map<String, List<Long>>> failures(List<String> keys, long since, int limit) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String k : keys) {
      chain = chain.compose(v -> reader.preparedQuery("SELECT at FROM auth_failures WHERE key = ? AND at >= ?"
              + " ORDER BY at DESC LIMIT ?").execute(Tuple.of(k, since, limit))
          .map(rs -> {
            List<Long> times = new ArrayList<>();
            rs.forEach(r -> times.add(r.getLong("at")));
            out.put(k, times);
            return null;
          }));
    }
    return chain.map(v -> out);
  }

  @Override
  public Future<Void> clearFailures(List<String> keys) {
    return catalog.write(c -> {
      Future<Void> chain = Future.succeededFuture();
      for (String k : keys) {
        chain = chain.compose(v -> c.preparedQuery("DELETE FROM auth_failures WHERE key = ?").execute(Tuple.of(k))
            .mapEmpty());
      }
      return chain;
    });
  }

  private static Future<Void> loginFree(SqlConnection c, String login, long self) {
    return c.preparedQuery("SELECT login FROM users WHERE login_key = ? AND id <> ?")
        .execute(Tuple.of(UserRow.loginKey(login), self))
        .compose(rs -> rs.size() == 0 ? Future.succeededFuture()
            : Future.failedFuture(AgentException.of(Failure.CONFLICT, "e.account.taken", first(rs).getString("login"))));
  }

  private static AgentException noUser(long id) {
    return AgentException.of(Failure.NOT_FOUND, "e.account.notFound", id);
  }

  private static Row first(RowSet<Row> rs) {
    return rs.iterator().next();
  }

  private static UserRow user(Row r) {
    return new UserRow(r.getLong("id"), r.getString("login"), r.getString("display_name"), r.getString("role"),
        r.getString("password_hash"), r.getString("profile"), r.getString("security"), r.getInteger("version"),
        r.getLong("created_at"), r.getLong("updated_at"));
  }

  private static SessionRow session(Row r) {
    return new SessionRow(r.getString("token_hash"), r.getString("public_id"), r.getLong("user_id"),
        r.getString("kind"), r.getString("csrf"), r.getLong("created_at"), r.getLong("last_seen"),
        r.getLong("expires_at"), r.getString("client"));
  }
}
