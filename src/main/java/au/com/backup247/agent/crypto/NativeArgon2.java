package au.com.backup247.agent.crypto;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Argon2id by the reference implementation in the system's libargon2 (Debian's {@code libargon2-1},
 * which systemd needs through libcryptsetup), called through JNA: {@code argon2_ctx} with an
 * {@code argon2_context} ({@link Context}), type {@code Argon2_id}, version 1.3. Its memory is one
 * native allocation, freed when the call returns, instead of Bouncy Castle's one Java object per
 * 1 KiB block, which a small young generation copies, promotes and then collects in full (46 MiB:
 * 65,536 objects, about 0.1-0.25 s of collections per command, besides a computation about twice as
 * slow).
 *
 * <p>Used only after it reproduces two known answers: the reference implementation's own test vector
 * (no secret, no associated data) and RFC 9106 §5.3's (with both), so a library of another version,
 * structure layout or calling convention can never give a key or a password hash that Bouncy Castle
 * would not give. Thread-safe: the library allocates per call; the inputs are copied into one native
 * block per call, zeroed before it is freed.
 */
final class NativeArgon2 implements Argon2id.Engine {
  /** The library's name as the platform's dynamic loader knows it. */
  static final String LIBRARY = Platform.isMac() ? "argon2" : "libargon2.so.1";

  /** argon2.h: {@code Argon2_id} of {@code argon2_type}. */
  private static final int ARGON2_ID = 2;
  /** argon2.h: {@code ARGON2_VERSION_13}. */
  private static final int VERSION_13 = 0x13;
  /** argon2.h: {@code ARGON2_DEFAULT_FLAGS}: the library clears nothing of ours; we zero our block. */
  private static final int DEFAULT_FLAGS = 0;

  /** phc-winner-argon2 src/test.c: Argon2id v=0x13, t=2, m=256 KiB, p=1, "password", "somesalt". */
  private static final byte[] TEST_C_PASSWORD = {'p', 'a', 's', 's', 'w', 'o', 'r', 'd'};
  private static final byte[] TEST_C_SALT = {'s', 'o', 'm', 'e', 's', 'a', 'l', 't'};
  private static final String TEST_C_TAG = "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe";

  /**
   * RFC 9106 §5.3: Argon2id v=0x13, t=3, m=32 KiB, p=4, password 32 × 0x01, salt 16 × 0x02, secret
   * 8 × 0x03, associated data 12 × 0x04.
   */
  private static final String RFC_9106_TAG = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

  /**
   * argon2.h's {@code argon2_context}, its fields in the header's order (pointers, then
   * {@code uint32_t} lengths and costs; no allocator callbacks).
   */
  @Structure.FieldOrder({"out", "outLen", "pwd", "pwdLen", "salt", "saltLen", "secret", "secretLen", "ad", "adLen",
      "tCost", "mCost", "lanes", "threads", "version", "allocateCbk", "freeCbk", "flags"})
  public static final class Context extends Structure {
    public Pointer out;
    public int outLen;
    public Pointer pwd;
    public int pwdLen;
    public Pointer salt;
    public int saltLen;
    public Pointer secret;
    public int secretLen;
    public Pointer ad;
    public int adLen;
    public int tCost;
    public int mCost;
    public int lanes;
    public int threads;
    public int version;
    public Pointer allocateCbk;
    public Pointer freeCbk;
    public int flags;

    /** Pointers and lengths only, never the bytes they point to. */
    @Override
    public String toString() {
      return "argon2_context(m=" + mCost + " KiB, t=" + tCost + ", p=" + lanes + ")";
    }
  }

  private final String name;
  private final Function argon2Ctx;
  private final Function errorMessage;

  private NativeArgon2(String name, NativeLibrary library) {
    this.name = name;
    this.argon2Ctx = library.getFunction("argon2_ctx");
    this.errorMessage = library.getFunction("argon2_error_message");
  }

  /**
   * The library {@code name}, loaded and checked against the known answers.
   *
   * @throws IllegalStateException naming why it cannot be used (not installed, JNA unavailable on
   *     this platform, a wrong answer)
   */
  static NativeArgon2 load(String name) {
    NativeArgon2 engine;
    byte[] plain = new byte[32];
    byte[] withSecret = new byte[32];
    try {
      engine = new NativeArgon2(name, NativeLibrary.getInstance(name));
      engine.derive(TEST_C_PASSWORD, TEST_C_SALT, new byte[0], new byte[0], 256, 2, 1, plain);
      engine.derive(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32, 3, 4, withSecret);
    } catch (LinkageError | IllegalStateException e) { // library or symbol missing, JNA's stub not loadable here
      // JNA's first line says "Unable to load library 'NAME':", the next one why
      String why = String.valueOf(e.getMessage()).lines().filter(l -> !l.endsWith(":")).findFirst()
          .orElse(e.getClass().getSimpleName());
      throw new IllegalStateException(why.startsWith(name) ? why : name + ": " + why, e);
    }
    if (!HexFormat.of().formatHex(plain).equals(TEST_C_TAG)) {
      throw new IllegalStateException(name + ": wrong result for the reference implementation's test vector");
    }
    if (!HexFormat.of().formatHex(withSecret).equals(RFC_9106_TAG)) {
      throw new IllegalStateException(name + ": wrong result for RFC 9106's test vector (secret and associated data)");
    }
    return engine;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void derive(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKiB, int iterations,
      int parallelism, byte[] out) {
    // password, salt, secret, associated data and tag in one native block, zeroed before it is freed
    long saltAt = password.length;
    long secretAt = saltAt + salt.length;
    long adAt = secretAt + secret.length;
    long outAt = adAt + associated.length;
    try (Memory m = new Memory(Math.max(outAt + out.length, 1))) {
      try {
        Context c = new Context();
        c.pwd = put(m, 0, password);
        c.salt = put(m, saltAt, salt);
        c.secret = put(m, secretAt, secret);
        c.ad = put(m, adAt, associated);
        c.out = m.share(outAt);
        c.pwdLen = password.length;
        c.saltLen = salt.length;
        c.secretLen = secret.length;
        c.adLen = associated.length;
        c.outLen = out.length;
        c.tCost = iterations;
        c.mCost = memoryKiB;
        c.lanes = parallelism;
        c.threads = parallelism; // as argon2id_hash_raw does
        c.version = VERSION_13;
        c.flags = DEFAULT_FLAGS;
        int rc = argon2Ctx.invokeInt(new Object[] {c, ARGON2_ID});
        if (rc != 0) {
          throw new IllegalStateException(errorMessage.invokeString(new Object[] {rc}, false) + " (code " + rc + ")");
        }
        m.read(outAt, out, 0, out.length);
      } finally {
        m.clear();
      }
    }
  }

  /** {@code bytes} written at {@code at}, or a null pointer when there are none (the library allows it). */
  private static Pointer put(Memory m, long at, byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    m.write(at, bytes, 0, bytes.length);
    return m.share(at, bytes.length);
  }
}
