package au.com.backup247.agent.auth;

import au.com.backup247.agent.crypto.Argon2id;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Password hashes: Argon2id (RFC 9106, by {@link Argon2id}: the system's libargon2 when it is
 * installed, else Bouncy Castle, the same hash either way) in the PHC string format, so every hash
 * carries the parameters it was made with and they can be raised later:
 * <pre>
 * $argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;
 *  │         │    │       │   │   │        └ the 32-byte tag, base64 (standard alphabet, no padding)
 *  │         │    │       │   │   └ 16 random bytes, base64 (no padding)
 *  │         │    │       │   └ lanes (parallelism)
 *  │         │    │       └ passes over the memory (iterations)
 *  │         │    └ memory in KiB (19456 = 19 MiB, the OWASP minimum)
 *  │         └ Argon2 version 1.3 (0x13)
 *  └ algorithm
 * </pre>
 * The password is hashed as UTF-8. A stored hash is parsed strictly: another algorithm or version,
 * a missing field or parameters beyond {@link Params}' caps (m ≤ 1 GiB, t ≤ 20, p ≤ 16: a forged
 * row must not make a login allocate the machine's memory) are refused with an
 * {@link IllegalArgumentException} naming the field; only a wrong password gives {@code false}.
 *
 * <p><b>Blocking:</b> {@link #hash}, {@link #verify} and {@link #dummyHash} take tens of
 * milliseconds and 19 MiB each; call them on a worker thread ({@code vertx.executeBlocking}),
 * never on an event loop. Instances are thread-safe.
 */
final class PasswordHasher {
  /** Bytes of random salt in a new hash. */
  public static final int SALT_BYTES = 16;
  /** Bytes of tag in a new hash. */
  public static final int HASH_BYTES = 32;

  /**
   * Argon2id cost: memory in KiB, passes and lanes. The constructor refuses values outside
   * 1 ≤ t ≤ 20, 1 ≤ p ≤ 16, 8·p ≤ m ≤ 1 GiB (1048576 KiB), naming the field.
   */
  public record Params(int memoryKiB, int iterations, int parallelism) {
    /** The OWASP minimum for Argon2id: m=19 MiB, t=2, p=1. */
    public static final Params DEFAULT = new Params(19456, 2, 1);
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 20;
    static final int MAX_PARALLELISM = 16;

    public Params {
      check("p", parallelism, 1, MAX_PARALLELISM, "");
      check("t", iterations, 1, MAX_ITERATIONS, "");
      check("m", memoryKiB, 8 * parallelism, MAX_MEMORY_KIB, " KiB (8·p to 1 GiB)");
    }

    private static void check(String field, long v, long min, long max, String unit) {
      if (v < min || v > max) {
        throw new IllegalArgumentException("Argon2 parameter " + field + " must be between " + min + " and " + max
            + unit + ", got " + v);
      }
    }

    /** True when this costs less than {@code other} in memory or passes. */
    boolean weakerThan(Params other) {
      return memoryKiB < other.memoryKiB || iterations < other.iterations;
    }
  }

  private final Params current;
  private final SecureRandom random;
  private volatile String dummy;
  private final LongAdder work = new LongAdder();

  /** Hashes with {@link Params#DEFAULT}. */
  public PasswordHasher() {
    this(Params.DEFAULT, new SecureRandom());
  }

  /** Hashes new passwords with {@code current}; salts come from {@code random}. */
  public PasswordHasher(Params current, SecureRandom random) {
    this.current = Objects.requireNonNull(current, "current");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The parameters new hashes get. */
  public Params current() {
    return current;
  }

  /** A new PHC string for {@code password}, with a fresh salt and the current parameters. Blocking. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] tag = argon2id(password, salt, current, HASH_BYTES);
    work.add(cost(current));
    return PhcString.format(current, salt, tag);
  }

  /**
   * Whether {@code password} matches {@code phc}, computed with the parameters and salt stored there
   * and compared in constant time. Blocking.
   *
   * @throws IllegalArgumentException when {@code phc} is not an Argon2id PHC string within the caps
   */
  public boolean verify(char[] password, String phc) {
    PhcString stored = PhcString.parse(phc);
    byte[] tag = argon2id(password, stored.salt(), stored.params(), stored.hash().length);
    work.add(cost(stored.params()));
    return MessageDigest.isEqual(tag, stored.hash());
  }

  /**
   * Whether {@code phc} was made with less memory or fewer passes than the current parameters (or a
   * shorter salt or tag): after a successful {@link #verify}, store {@link #hash} of the password.
   */
  public boolean needsRehash(String phc) {
    PhcString stored = PhcString.parse(phc);
    return stored.params().weakerThan(current) || stored.salt().length < SALT_BYTES
        || stored.hash().length < HASH_BYTES;
  }

  /**
   * A hash of a random password with the current parameters (made once): verify an unknown login's
   * password against it, so that it costs the same time as a known one and always fails. Blocking
   * the first time.
   */
  public String dummyHash() {
    String d = dummy;
    if (d == null) {
      synchronized (this) {
        if (dummy == null) {
          byte[] secret = new byte[24];
          random.nextBytes(secret);
          dummy = hash(Base64.getEncoder().encodeToString(secret).toCharArray());
        }
        d = dummy;
      }
    }
    return d;
  }

  /**
   * The Argon2id work this hasher has done, in KiB of memory filled (memory × passes, summed over
   * every {@link #hash} and {@link #verify}): what a login costs, counted instead of timed, so a
   * test can check that an unknown login name costs exactly what a known one does.
   */
  long workKiB() {
    return work.sum();
  }

  private static long cost(Params p) {
    return (long) p.memoryKiB() * p.iterations();
  }

  /** Argon2id (v1.3, no secret or associated data) of UTF-8({@code password}). */
  static byte[] argon2id(char[] password, byte[] salt, Params p, int length) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] utf8 = new byte[encoded.remaining()];
    encoded.get(utf8);
    Arrays.fill(encoded.array(), (byte) 0);
    try {
      return Argon2id.derive(utf8, salt, p.memoryKiB(), p.iterations(), p.parallelism(), length);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }
}
