package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.i18n.Messages;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The rules of SMS passcodes (guide ch. 7.5), as pure functions of an immutable {@link State} and
 * the injected clock; the caller keeps the state with its login challenge and sends the passcode.
 * <pre>
 *  issue ──► passcode (6 digits, sent) + State{hash, expiresAt = now + 5 min, resends 0, wrong 0}
 *  resend ─► new passcode, new expiry, the old one dead; from 30 s after the last send, 3 times
 *  check ──► ACCEPTED (once) | WRONG (5 at most, counted over resends) | EXPIRED | USED | LOCKED
 * </pre>
 * Only {@code HMAC-SHA256(key, challenge ":" passcode)} is kept, the key derived from the agent
 * secret ({@code agentSecret.derive("sms-passcode v1")}): a leaked challenge row alone does not let
 * anyone try the million passcodes offline. Compared in constant time.
 */
final class SmsPasscodes {
  public static final Duration LIFETIME = Duration.ofMinutes(5);
  public static final Duration RESEND_AFTER = Duration.ofSeconds(30);
  public static final int MAX_RESENDS = 3;
  public static final int MAX_WRONG = 5;

  /** What to keep for one challenge's SMS passcode (no passcode in it). */
  public record State(String challenge, String hash, Instant sentAt, Instant expiresAt, int resends, int wrong,
      boolean used) {
  }

  /** A passcode to send now and the state to keep. */
  public record Issued(String passcode, State state) {
    @Override
    public String toString() {
      return "Issued[passcode hidden, " + state + "]";
    }
  }

  /** What a check found, and the state to keep after it. */
  public enum Outcome { ACCEPTED, WRONG, EXPIRED, USED, LOCKED }

  public record Check(Outcome outcome, State state) {
  }

  private final Clock clock;
  private final SecureRandom random;
  private final SecretKeySpec key;

  public SmsPasscodes(Clock clock, SecureRandom random, byte[] hmacKey) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.key = new SecretKeySpec(hmacKey, "HmacSHA256");
  }

  /** A first passcode for {@code challenge}. */
  public Issued issue(String challenge) {
    return issued(challenge, 0, 0);
  }

  /**
   * A new passcode in place of the current one.
   *
   * @throws AgentException TOO_MANY_REQUESTS saying, in {@code lang}, when it can be sent (see
   *     {@link #resendIn}), or that none is left
   */
  public Issued resend(State s, String lang) {
    if (s.resends() >= MAX_RESENDS) {
      throw new AgentException(Failure.TOO_MANY_REQUESTS, Messages.get(lang, "sms.resend.none", MAX_RESENDS));
    }
    long wait = resendIn(s);
    if (wait > 0) {
      throw new AgentException(Failure.TOO_MANY_REQUESTS, Messages.get(lang, "sms.resend.wait", wait));
    }
    return issued(s.challenge(), s.resends() + 1, s.wrong());
  }

  /** Checks a typed passcode (spaces ignored) against the state. */
  public Check check(State s, String typed) {
    if (s.used()) {
      return new Check(Outcome.USED, s);
    }
    if (s.wrong() >= MAX_WRONG) {
      return new Check(Outcome.LOCKED, s);
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      return new Check(Outcome.EXPIRED, s);
    }
    String code = typed == null ? "" : typed.replace(" ", "");
    boolean ok = MessageDigest.isEqual(hash(s.challenge(), code).getBytes(StandardCharsets.US_ASCII),
        s.hash().getBytes(StandardCharsets.US_ASCII));
    return ok ? new Check(Outcome.ACCEPTED, with(s, s.wrong(), true))
        : new Check(Outcome.WRONG, with(s, s.wrong() + 1, false));
  }

  /** Whole seconds until the passcode expires (0 once expired), for the API's countdown. */
  public long expiresIn(State s) {
    return secondsUntil(s.expiresAt());
  }

  /** Whole seconds until a resend is allowed (0: now). */
  public long resendIn(State s) {
    return secondsUntil(s.sentAt().plus(RESEND_AFTER));
  }

  public static int resendsLeft(State s) {
    return MAX_RESENDS - s.resends();
  }

  /** Whether {@code phone} is an E.164 number: {@code +}, then 8 to 15 digits, the first not 0. */
  public static boolean isPhoneNumber(String phone) {
    return phone != null && phone.matches("\\+[1-9][0-9]{7,14}");
  }

  /**
   * The number as shown to its owner: country code, first digit and last two of the rest, in groups
   * of three ({@code +61412345689} → {@code +61 4•• ••• •89}); anything else: all but the last two
   * characters masked.
   */
  public static String maskPhone(String phone) {
    return PhoneMask.mask(phone);
  }

  private Issued issued(String challenge, int resends, int wrong) {
    String passcode = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
    Instant now = clock.instant();
    return new Issued(passcode, new State(challenge, hash(challenge, passcode), now, now.plus(LIFETIME), resends,
        wrong, false));
  }

  private static State with(State s, int wrong, boolean used) {
    return new State(s.challenge(), s.hash(), s.sentAt(), s.expiresAt(), s.resends(), wrong, used);
  }

  private long secondsUntil(Instant t) {
    long ms = Duration.between(clock.instant(), t).toMillis();
    return ms <= 0 ? 0 : (ms + 999) / 1000;
  }

  private String hash(String challenge, String passcode) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] d = mac.doFinal((challenge + ":" + passcode).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
