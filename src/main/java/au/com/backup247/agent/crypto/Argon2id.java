package au.com.backup247.agent.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id, version 1.3 (0x13), with an optional secret (RFC 9106's K) and associated data (X), by
 * the first engine that works: the system's libargon2 ({@link NativeArgon2}) when it loads and
 * passes its known-answer tests, else Bouncy Castle. Both compute the same function, so which one
 * ran never changes a key or a password hash. The parameters are checked by the callers, each
 * against its own caps (the repository's {@code Kdf}, the accounts' {@code PasswordHasher}); a
 * secret or associated data that is {@code null} or empty is absent. Thread-safe.
 */
public final class Argon2id {
  private static final byte[] NONE = {};

  /** One implementation of the function. */
  interface Engine {
    /** Named in errors. */
    String name();

    /**
     * Fills {@code out} with the tag; {@code secret} and {@code associated} are never null here
     * (empty when absent).
     *
     * @throws IllegalStateException naming what failed, never the inputs
     */
    void derive(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKiB, int iterations,
        int parallelism, byte[] out);
  }

  static final Engine BOUNCY_CASTLE = new Engine() {
    @Override
    public String name() {
      return "Bouncy Castle";
    }

    @Override
    public void derive(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKiB,
        int iterations, int parallelism, byte[] out) {
      Argon2BytesGenerator gen = new Argon2BytesGenerator();
      gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withSalt(salt)
          .withSecret(secret)
          .withAdditional(associated)
          .withMemoryAsKB(memoryKiB)
          .withIterations(iterations)
          .withParallelism(parallelism)
          .build());
      gen.generateBytes(password, out);
    }
  };

  /** What this process uses: loaded on first use. */
  private static final class Installed {
    static final Choice CHOICE = choose(() -> NativeArgon2.load(NativeArgon2.LIBRARY));
  }

  /** The engines to try in order, and why the native one is missing ({@code null} when it is there). */
  record Choice(List<Engine> engines, String nativeProblem) {
  }

  private Argon2id() {
  }

  /** This process's engines. */
  static Choice installed() {
    return Installed.CHOICE;
  }

  /** The native engine when it loads, then Bouncy Castle. */
  static Choice choose(Supplier<Engine> nativeEngine) {
    try {
      return new Choice(List.of(nativeEngine.get(), BOUNCY_CASTLE), null);
    } catch (RuntimeException | LinkageError e) { // LinkageError: JNA itself cannot start here
      return new Choice(List.of(BOUNCY_CASTLE), String.valueOf(e.getMessage()));
    }
  }

  /**
   * The tag of {@code length} bytes of {@code password} and {@code salt}, with no secret or
   * associated data.
   *
   * @throws IllegalStateException naming the parameters and each engine's failure when none succeeds
   */
  public static byte[] derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism,
      int length) {
    return derive(password, salt, null, null, memoryKiB, iterations, parallelism, length);
  }

  /**
   * The tag of {@code length} bytes of {@code password}, {@code salt}, {@code secret} and
   * {@code associated} data (either may be {@code null}: absent).
   *
   * @throws IllegalStateException naming the parameters and each engine's failure when none succeeds
   */
  public static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKiB,
      int iterations, int parallelism, int length) {
    return derive(installed().engines(), password, salt, secret, associated, memoryKiB, iterations, parallelism,
        length);
  }

  /** The tag from the first of {@code engines} that succeeds. */
  static byte[] derive(List<Engine> engines, byte[] password, byte[] salt, byte[] secret, byte[] associated,
      int memoryKiB, int iterations, int parallelism, int length) {
    byte[] k = secret == null ? NONE : secret;
    byte[] x = associated == null ? NONE : associated;
    List<String> failures = new ArrayList<>();
    for (Engine e : engines) {
      byte[] out = new byte[length];
      try {
        e.derive(password, salt, k, x, memoryKiB, iterations, parallelism, out);
        return out;
      } catch (RuntimeException ex) {
        failures.add(e.name() + ": " + ex.getMessage());
      }
    }
    throw new IllegalStateException("Argon2id failed (memory " + memoryKiB + " KiB, " + iterations
        + " pass(es), " + parallelism + " lane(s)): " + String.join("; ", failures));
  }
}
