package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.AccountStore;
import au.com.backup247.agent.catalog.SessionRow;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Server-side sessions (docs/SECURITY.md §3): a 256-bit token per login, of which the catalog keeps
 * only the hash; an idle and an absolute timeout; and remembered devices ("Save password"), whose
 * token replaces the password step of a later login.
 *
 * <pre>
 *   kind        lifetime                       accepted as
 *   session     idle timeout, absolute timeout  Authorization: Bearer, or the b247_session cookie (+ CSRF)
 *   remembered  rememberDays                    "rememberToken" of POST /auth/login only
 * </pre>
 */
final class Sessions {
  static final String SESSION = "session";
  static final String REMEMBERED = "remembered";
  /** lastSeen is written at most this often (a write per request would be wasteful). */
  static final long TOUCH_EVERY_MS = 60_000;
  private final AccountStore store;
  private final Clock clock;
  private final long idleMs;
  private final long maxMs;
  private final long rememberMs;

  /** A session just opened: the token is shown to the client once. */
  record Opened(String token, String publicId, String csrf, long expiresAt) {
  }

  Sessions(AccountStore store, Clock clock, int idleMinutes, int maxHours, int rememberDays) {
    this.store = store;
    this.clock = clock;
    this.idleMs = idleMinutes * 60_000L;
    this.maxMs = maxHours * 3_600_000L;
    this.rememberMs = rememberDays * 86_400_000L;
  }

  long idleMs() {
    return idleMs;
  }

  /** Opens a new session for an account (always a new token: never one from before the login). */
  Future<Opened> open(long userId, Client client, String device) {
    return insert(userId, SESSION, Tokens.newToken(), client, device, maxMs);
  }

  /** Remembers a device for {@code rememberDays}; returns its token (shown once). */
  Future<Opened> remember(long userId, Client client) {
    return insert(userId, REMEMBERED, null, client, null, rememberMs);
  }

  private Future<Opened> insert(long userId, String kind, String csrf, Client client, String device, long life) {
    String token = Tokens.newToken();
    String publicId = Tokens.newId(8);
    long now = clock.millis();
    SessionRow row = new SessionRow(Tokens.hash(token), publicId, userId, kind, csrf, now, now, now + life,
        client.stored(device).encode());
    return store.insertSession(row).map(v -> new Opened(token, publicId, csrf, now + life));
  }

  /**
   * The live session of {@code token} of the given kind; UNAUTHORIZED when there is none, it
   * expired (idle or absolute) or it is of another kind. Touches its last use at most once a minute.
   */
  Future<SessionRow> resolve(String token, String kind, String lang) {
    if (token == null || token.isEmpty() || token.length() > 200) {
      return Future.failedFuture(loginFirst(lang));
    }
    long now = clock.millis();
    return store.getSession(Tokens.hash(token)).compose(found -> {
      if (found.isEmpty() || !found.get().kind().equals(kind)) {
        return Future.failedFuture(loginFirst(lang));
      }
      SessionRow s = found.get();
      boolean idle = kind.equals(SESSION) && now - s.lastSeen() > idleMs;
      if (now >= s.expiresAt() || idle) {
        return store.deleteSessions(s.userId(), s.tokenHash(), null, null, null, now)
            .transform(x -> Future.failedFuture(new AgentException(Failure.UNAUTHORIZED,
                Messages.get(lang, idle ? "session.ended.idle" : "session.ended.old"))));
      }
      if (now - s.lastSeen() < TOUCH_EVERY_MS) {
        return Future.succeededFuture(s);
      }
      return store.touchSession(s.tokenHash(), now).map(s);
    });
  }

  /**
   * Whether the session stored as {@code tokenHash} is still live (not ended, not past its absolute
   * or idle end), without counting this as a use: an open event stream asks this now and then, and
   * watching a page must not keep an idle session alive.
   */
  Future<Boolean> alive(String tokenHash) {
    long now = clock.millis();
    return store.getSession(tokenHash).map(found -> found.isPresent() && now < found.get().expiresAt()
        && !(found.get().kind().equals(SESSION) && now - found.get().lastSeen() > idleMs));
  }

  /** Ends the session of {@code token}, or with {@code everywhere} every session of its account. */
  Future<Integer> close(SessionRow s, boolean everywhere) {
    long now = clock.millis();
    return everywhere ? store.deleteSessions(s.userId(), null, null, SESSION, null, now)
        : store.deleteSessions(s.userId(), s.tokenHash(), null, null, null, now);
  }

  /** Ends every session and remembered device of an account except {@code keepHash} (null: all). */
  Future<Integer> endAll(long userId, String keepHash) {
    return store.deleteSessions(userId, null, null, null, keepHash, clock.millis());
  }

  /** Ends every remembered device of an account. */
  Future<Integer> endRemembered(long userId) {
    return store.deleteSessions(userId, null, null, REMEMBERED, null, clock.millis());
  }

  /** Ends one session or remembered device of an account by its public id; NOT_FOUND when none. */
  Future<Void> revoke(long userId, String publicId, String lang) {
    return store.deleteSessions(userId, null, publicId, null, null, clock.millis())
        .compose(n -> n == 0 ? Future.failedFuture(Localized.failure(Failure.NOT_FOUND, lang, "session.notFound",
            String.valueOf(publicId)))
            : Future.succeededFuture());
  }

  /** An account's sessions and remembered devices as the profile shows them (no token, no hash). */
  Future<List<JsonObject>> list(long userId, String currentHash) {
    long now = clock.millis();
    return store.listSessions(userId).map(rows -> rows.stream().filter(r -> r.expiresAt() > now).map(r -> {
      JsonObject client = new JsonObject(r.client());
      return new JsonObject().put("id", r.publicId()).put("kind", r.kind()).put("createdAt", r.createdAt())
          .put("lastSeen", r.lastSeen()).put("expiresAt", r.expiresAt()).put("ip", client.getString("ip"))
          .put("userAgent", client.getString("userAgent")).put("current", r.tokenHash().equals(currentHash));
    }).toList());
  }

  static AgentException loginFirst(String lang) {
    return new AgentException(Failure.UNAUTHORIZED, Messages.get(lang, "login.first"));
  }
}
