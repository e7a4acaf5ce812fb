package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.chunk.Chunker;
import java.security.SecureRandom;

/**
 * Gets the JIT to compile the hot crypto and chunking code early. A short-lived command (one
 * backup or restore) otherwise spends its first hundreds of megabytes in interpreted AES-GCM and
 * HMAC code at a tenth of their speed. Runs on a daemon thread while the main thread stretches the
 * password (Argon2 uses one core; the other is idle then). Costs about 0.3 s of one core.
 */
public final class Warmup {
  private Warmup() {
  }

  /** Starts the warm-up in the background and returns at once. */
  public static void start() {
    Thread t = new Thread(Warmup::run, "b247-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static void run() {
    try {
      MasterKey mk = MasterKey.of(new byte[MasterKey.SIZE]);
      byte[] body = new byte[8 * 1024];
      new SecureRandom().nextBytes(body);
      byte[] id = new byte[32];
      for (int round = 0; round < 3000; round++) {
        byte[] salt = new byte[16];
        salt[0] = (byte) round;
        salt[1] = (byte) (round >> 8);
        ObjectSealer s = ObjectSealer.create(CipherSuite.AES_256_GCM, mk, salt);
        byte[] sealed = s.seal(1, id, 28, body, 0, body.length);
        s.open(1, id, 28, sealed, 0, sealed.length);
        mk.id(body, 0, body.length);
      }
      Chunker c = Chunker.fastCdc(mk.gearKey(), Chunker.AUTO_MIN, Chunker.AUTO_AVG, Chunker.AUTO_MAX);
      byte[] data = new byte[Chunker.AUTO_MAX];
      new SecureRandom().nextBytes(data);
      for (int i = 0; i < 20; i++) {
        c.nextCut(data, 0, data.length);
      }
    } catch (RuntimeException e) {
      // only an optimisation
    }
  }
}
