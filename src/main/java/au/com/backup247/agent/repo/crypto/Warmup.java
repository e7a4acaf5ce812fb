package au.com.backup247.agent.repo.crypto;

import java.security.SecureRandom;

/**
 * Gets the JIT to compile the hot code of reading blobs early (restore, check, decrypt). A short-lived
 * command otherwise spends its first hundreds of megabytes in interpreted AES-GCM, GHASH and HMAC
 * code at a tenth of their speed or less. Runs on a daemon thread while the main thread stretches
 * the password (Argon2 uses one core; the other is idle then).
 *
 * <p>The JDK's crypto runs on the CPU's AES, carry-less multiply and SHA instructions only once the
 * methods calling them are compiled by the optimising compiler, after some thousands of calls: so
 * the warm-up makes many calls on tiny blobs (a few megabytes in all, about 0.2 s of one core)
 * rather than few on large ones (which run interpreted all along: 3000 blobs of 8 KiB took ~1.5 s
 * and still left a restore's first blobs in interpreted GHASH).
 */
public final class Warmup {
  /** Blobs sealed and opened: past the optimising compiler's call-count threshold. */
  static final int ROUNDS = 20_000;
  /** Size of each blob, and of the slices it is opened in (so the slice loop runs as with real blobs). */
  private static final int BODY = 256;
  private static final int SLICE = 64;

  private Warmup() {
  }

  /** Starts warming what reading blobs runs (opening, chunk ids) and returns at once. */
  public static void startReading() {
    Thread t = new Thread(Warmup::run, "b247-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static void run() {
    try {
      MasterKey mk = MasterKey.of(new byte[MasterKey.SIZE]);
      byte[] body = new byte[BODY];
      new SecureRandom().nextBytes(body);
      byte[] sealed = new byte[BODY + CipherSuite.AES_256_GCM.maxOverhead()];
      byte[] plain = new byte[BODY];
      byte[] id = new byte[32];
      ObjectSealer s = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, new byte[ObjectSealer.SALT_SIZE]);
      for (int round = 0; round < ROUNDS; round++) {
        int n = s.sealInto(1, id, round, body, 0, body.length, sealed, 0);
        s.openFast(1, id, round, sealed, 0, n, plain, SLICE);
        mk.id(plain, 0, plain.length);
      }
    } catch (RuntimeException e) {
      // only an optimisation
    }
  }
}
