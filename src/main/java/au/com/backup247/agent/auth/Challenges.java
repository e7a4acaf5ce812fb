package au.com.backup247.agent.auth;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins waiting for their second factor (docs/SECURITY.md §3). A challenge is not a session: its
 * id opens nothing but {@code /auth/2fa*}; it lives 5 minutes and dies after 5 wrong codes.
 * Kept in memory: a restart ends pending logins, which then start again with the password.
 *
 * <p>A third method (push approval by a paired phone) fits the same record: the phone is asked to
 * approve challenge {@code id} before {@code expiresAt}, showing {@code number} to match.
 */
final class Challenges {
  static final long LIFETIME_MS = 5 * 60_000L;
  static final int MAX_WRONG = 5;
  private final Clock clock;
  private final Map<String, Challenge> open = new ConcurrentHashMap<>();

  /**
   * A pending login. {@code state} holds what a method needs between requests (an SMS passcode's
   * hash, expiry and resends); it is owned by the event loop of the auth verticle.
   */
  static final class Challenge {
    final String id;
    final long userId;
    final long expiresAt;
    final boolean remember;
    final int number;
    final JsonObject state = new JsonObject();
    int wrong;
    /** The SMS passcode sent for this login, if any, and the authenticator it went to. */
    SmsPasscodes.State sms;
    String smsId;
    String smsName;

    Challenge(String id, long userId, long expiresAt, boolean remember, int number) {
      this.id = id;
      this.userId = userId;
      this.expiresAt = expiresAt;
      this.remember = remember;
      this.number = number;
    }
  }

  Challenges(Clock clock) {
    this.clock = clock;
  }

  Challenge open(long userId, boolean remember) {
    long now = clock.millis();
    open.values().removeIf(c -> c.expiresAt <= now);
    Challenge c = new Challenge(Tokens.newToken(), userId, now + LIFETIME_MS, remember,
        10 + Tokens.random().nextInt(90));
    open.put(c.id, c);
    return c;
  }

  /** The live challenge of {@code id}, if any. */
  Optional<Challenge> get(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Challenge c = open.get(id);
    if (c == null || c.expiresAt <= clock.millis()) {
      open.remove(id);
      return Optional.empty();
    }
    return Optional.of(c);
  }

  /** Counts a wrong code; the challenge ends at the fifth. Returns the tries left. */
  int wrong(Challenge c) {
    c.wrong++;
    if (c.wrong >= MAX_WRONG) {
      open.remove(c.id);
    }
    return Math.max(0, MAX_WRONG - c.wrong);
  }

  void close(Challenge c) {
    open.remove(c.id);
  }
}
