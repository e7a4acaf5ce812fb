package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.RepoException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id, version 1.3 (0x13), with no secret or associated data, by the first engine that works:
 * the system's libargon2 ({@link NativeArgon2}) when it loads and passes its known-answer test,
 * else Bouncy Castle. Both compute the same function (RFC 9106), so which one ran never changes a
 * key; the parameters are checked by the caller ({@link Kdf#argon2id}). Thread-safe.
 */
final class Argon2id {
  /** One implementation of the function. */
  interface Engine {
    /** Named in errors. */
    String name();

    /**
     * Fills {@code out} with the tag.
     *
     * @throws IllegalStateException naming what failed
     */
    void derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, byte[] out);
  }

  static final Engine BOUNCY_CASTLE = new Engine() {
    @Override
    public String name() {
      return "Bouncy Castle";
    }

    @Override
    public void derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, byte[] out) {
      Argon2BytesGenerator gen = new Argon2BytesGenerator();
      gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withSalt(salt)
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

  /** The tag of {@code length} bytes from this process's engines. */
  static byte[] derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
    return derive(installed().engines(), password, salt, memoryKiB, iterations, parallelism, length);
  }

  /**
   * The tag from the first of {@code engines} that succeeds.
   *
   * @throws RepoException naming the parameters and each engine's failure when none succeeds
   */
  static byte[] derive(List<Engine> engines, byte[] password, byte[] salt, int memoryKiB, int iterations,
      int parallelism, int length) {
    List<String> failures = new ArrayList<>();
    for (Engine e : engines) {
      byte[] out = new byte[length];
      try {
        e.derive(password, salt, memoryKiB, iterations, parallelism, out);
        return out;
      } catch (RuntimeException ex) {
        failures.add(e.name() + ": " + ex.getMessage());
      }
    }
    throw new RepoException("Argon2id key derivation failed (memory " + memoryKiB + " KiB, " + iterations
        + " pass(es), " + parallelism + " lane(s)): " + String.join("; ", failures));
  }
}
