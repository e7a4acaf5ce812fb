package au.com.backup247.agent.repo.crypto;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Argon2id by the reference implementation in the system's libargon2 (Debian's {@code libargon2-1},
 * which systemd needs through libcryptsetup), called through JNA: {@code argon2id_hash_raw}, version
 * 1.3, no secret or associated data. Its memory is one native allocation, freed when the call returns,
 * instead of Bouncy Castle's one Java object per 1 KiB block, which the launcher's small young
 * generation copies, promotes and then collects in full (46 MiB: 65,536 objects, about 0.1-0.25 s of
 * collections per command, besides a computation about twice as slow).
 *
 * <p>Used only after it reproduces a known answer (the reference implementation's own test vector),
 * so a library of another version or calling convention can never give a repository a key that
 * Bouncy Castle would not give it. Thread-safe: the library allocates per call.
 */
final class NativeArgon2 implements Argon2id.Engine {
  /** The library's name as the platform's dynamic loader knows it. */
  static final String LIBRARY = Platform.isMac() ? "argon2" : "libargon2.so.1";

  /** phc-winner-argon2 src/test.c: Argon2id v=0x13, t=2, m=256 KiB, p=1, "password", "somesalt". */
  private static final byte[] KNOWN_PASSWORD = {'p', 'a', 's', 's', 'w', 'o', 'r', 'd'};
  private static final byte[] KNOWN_SALT = {'s', 'o', 'm', 'e', 's', 'a', 'l', 't'};
  private static final byte[] KNOWN_TAG =
      HexFormat.of().parseHex("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe");

  private final String name;
  private final Function hashRaw;
  private final Function errorMessage;

  private NativeArgon2(String name, NativeLibrary library) {
    this.name = name;
    this.hashRaw = library.getFunction("argon2id_hash_raw");
    this.errorMessage = library.getFunction("argon2_error_message");
  }

  /**
   * The library {@code name}, loaded and checked against the known answer.
   *
   * @throws IllegalStateException naming why it cannot be used (not installed, JNA unavailable on
   *     this platform, a wrong answer)
   */
  static NativeArgon2 load(String name) {
    NativeArgon2 engine;
    byte[] tag = new byte[KNOWN_TAG.length];
    try {
      if (Native.SIZE_T_SIZE != Long.BYTES) {
        throw new IllegalStateException("size_t is not 64 bits on this platform");
      }
      engine = new NativeArgon2(name, NativeLibrary.getInstance(name));
      engine.derive(KNOWN_PASSWORD, KNOWN_SALT, 256, 2, 1, tag);
    } catch (LinkageError | IllegalStateException e) { // library or symbol missing, JNA's stub not loadable here
      // JNA's first line says "Unable to load library 'NAME':", the next one why
      String why = String.valueOf(e.getMessage()).lines().filter(l -> !l.endsWith(":")).findFirst()
          .orElse(e.getClass().getSimpleName());
      throw new IllegalStateException(why.startsWith(name) ? why : name + ": " + why, e);
    }
    if (!Arrays.equals(tag, KNOWN_TAG)) {
      throw new IllegalStateException(name + ": wrong result for the reference test vector");
    }
    return engine;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, byte[] out) {
    // password, salt and tag in one native block, zeroed before it is freed
    try (Memory m = new Memory((long) password.length + salt.length + out.length)) {
      try {
        m.write(0, password, 0, password.length);
        m.write(password.length, salt, 0, salt.length);
        long tagAt = (long) password.length + salt.length;
        int rc = hashRaw.invokeInt(new Object[] {iterations, memoryKiB, parallelism, m, (long) password.length,
            m.share(password.length), (long) salt.length, m.share(tagAt), (long) out.length});
        if (rc != 0) {
          throw new IllegalStateException(errorMessage.invokeString(new Object[] {rc}, false) + " (code " + rc + ")");
        }
        m.read(tagAt, out, 0, out.length);
      } finally {
        m.clear();
      }
    }
  }
}
