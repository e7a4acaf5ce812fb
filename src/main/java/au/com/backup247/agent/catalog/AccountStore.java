package au.com.backup247.agent.catalog;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts, sessions and login failures (migration V004), as the auth service needs them. The
 * catalog implements it over SQL ({@link SqliteAccounts}); other verticles reach it over the event
 * bus through {@link AccountStoreClient}, which implements the same interface.
 *
 * <p>Contract as {@link Catalog}: futures complete on the caller's context; writes are durable once
 * the future succeeds. Expected failures are {@code AgentException}s: NOT_FOUND for an unknown
 * account, CONFLICT for a taken login name or an account changed since it was read.
 */
public interface AccountStore {

  /** Stores a new account (its {@code id} and {@code version} are ignored); returns its id. */
  Future<Long> insertUser(UserRow user);

  /** Replaces an account's fields if its version is still {@code user.version()}; returns the new version. */
  Future<Integer> updateUser(UserRow user);

  /** Deletes an account with its sessions; its backup sets go to the admins. */
  Future<Void> deleteUser(long id);

  Future<UserRow> getUser(long id);

  /** The account of a login name, ignoring case. */
  Future<Optional<UserRow>> findUser(String login);

  Future<List<UserRow>> listUsers();

  Future<Void> insertSession(SessionRow session);

  Future<Optional<SessionRow>> getSession(String tokenHash);

  Future<List<SessionRow>> listSessions(long userId);

  Future<Void> touchSession(String tokenHash, long lastSeen);

  /**
   * Deletes an account's sessions: the one of {@code tokenHash} or of {@code publicId} when given,
   * else all of {@code kind} (null: every kind) but {@code keepHash}; and every expired session.
   */
  Future<Integer> deleteSessions(long userId, String tokenHash, String publicId, String kind, String keepHash,
      long now);

  /** Records a failure at {@code at} under each key; forgets failures before {@code forgetBefore}. */
  Future<Void> recordFailures(List<String> keys, long at, long forgetBefore);

  /** Per key, the times of its failures since {@code since}, newest first, at most {@code limit}. */
  Future<Map<String, List<Long>>> failures(List<String> keys, long since, int limit);

  Future<Void> clearFailures(List<String> keys);
}
