package au.com.backup247.agent.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: SQL files {@code db/migration/V<nnn>__<name>.sql} listed in
 * {@code db/migration/index.txt}, applied in order, each in its own transaction together with its
 * row in {@code schema_migrations}. A migration is never edited once released; changes get a new
 * version.
 */
final class Migrations {
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  private final Pool pool;

  record Migration(int version, String name, List<String> statements) {
  }

  Migrations(Pool pool) {
    this.pool = pool;
  }

  /** Applies what is missing; succeeds with the resulting schema version. */
  Future<Integer> apply() {
    List<Migration> all = load();
    return pool.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
            + " name VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)").execute()
        .compose(v -> pool.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").execute())
        .map(rs -> rs.iterator().next().getInteger("v"))
        .compose(current -> {
          int latest = all.isEmpty() ? 0 : all.get(all.size() - 1).version();
          if (current > latest) {
            return Future.failedFuture(new IllegalStateException("the catalog has schema version " + current
                + " but this agent knows only up to " + latest + "; use a newer agent"));
          }
          Future<Integer> chain = Future.succeededFuture(current);
          for (Migration m : all) {
            if (m.version() > current) {
              chain = chain.compose(v -> SqliteCatalog.inTransaction(pool, conn -> run(conn, m)).map(x -> m.version()));
            }
          }
          return chain;
        });
  }

  private static Future<Void> run(SqlConnection conn, Migration m) {
    // re-read inside the (immediate) transaction: another process may have migrated meanwhile
    return conn.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").execute()
        .map(rs -> rs.iterator().next().getInteger("v"))
        .compose(current -> current >= m.version() ? Future.succeededFuture() : runStatements(conn, m));
  }

  private static Future<Void> runStatements(SqlConnection conn, Migration m) {
    Future<Void> f = Future.succeededFuture();
    for (String sql : m.statements()) {
      f = f.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return f.compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .execute(Tuple.of(m.version(), m.name(), System.currentTimeMillis())).mapEmpty());
  }

  static List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (String line : resource("db/migration/index.txt").split("\n")) {
      String file = line.trim();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(file);
      if (!m.matches()) {
        throw new IllegalStateException("bad migration file name " + file);
      }
      int version = Integer.parseInt(m.group(1));
      if (!out.isEmpty() && out.get(out.size() - 1).version() >= version) {
        throw new IllegalStateException("migration " + file + " is out of order");
      }
      out.add(new Migration(version, m.group(2), statements(resource("db/migration/" + file))));
    }
    return out;
  }

  /** Splits a script on semicolons that end a line; drops comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) {
        continue;
      }
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String s = cur.toString().strip();
        out.add(s.substring(0, s.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
