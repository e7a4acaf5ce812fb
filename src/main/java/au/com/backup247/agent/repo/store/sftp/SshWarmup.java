package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.jvm.CompilerDirectives;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;

/**
 * Gets the JIT to compile the SSH transport's cipher (and MAC) code before the first upload needs it.
 *
 * <p>The JDK runs AES-GCM, AES-CTR and SHA-256 on the CPU's instructions only once the methods that
 * call them are compiled by the optimising compiler, which happens after some thousands of calls. A
 * session encrypts once per packet (32 KiB to OpenSSH), so a fresh JVM sent its first hundreds of
 * megabytes through the slow, plain Java versions: the first upload of a backup's files to OpenSSH
 * on loopback took about twice as long as later ones. The same code called on tiny packets reaches
 * those call counts within a few megabytes. Runs once per JVM, on a daemon thread, while the
 * session connects.
 *
 * <p>Before that, the thread keeps the post-quantum half of the key exchange (Bouncy Castle's
 * sntrup761 and ML-KEM, {@code org.bouncycastle.pqc}) out of the optimising compiler: that code runs
 * once per connection, but its polynomial loops reach the compile threshold during the first key
 * exchange, and compiling them took the one optimising compiler thread of a 2-core machine about
 * 0.6 s right as the first upload started, so the cipher's methods waited behind them and the
 * upload ran on the slow versions meanwhile. The quick compiler still compiles them (a key exchange
 * is no slower), and the key exchange itself is unchanged. The rule goes in through the JVM's
 * {@code compilerDirectivesAdd} diagnostic command; a JVM without it just compiles as before.
 * {@link #kexCompileRuleSet} lets the first connection wait until the rule is in place.
 */
final class SshWarmup {
  /** Packets encrypted and decrypted: enough for the optimising compiler's call-count threshold. */
  static final int CALLS = 20_000;
  private static final int PAYLOAD = 64;
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final CountDownLatch KEX_RULE = new CountDownLatch(1);
  /** The compiler directive: the quick compiler only, for the post-quantum key exchange's code. */
  static final String KEX_DIRECTIVE = "[{match: \"org/bouncycastle/pqc/*.*\", c2: {Exclude: true}}]";

  private SshWarmup() {
  }

  /**
   * Starts warming {@code cipher} (the session's first choice) in the background, once per JVM;
   * returns at once. False when a warm-up was started before.
   */
  static boolean start(BuiltinCiphers cipher) {
    if (!STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread t = new Thread(() -> {
      try {
        keepKexOutOfC2();
      } finally {
        KEX_RULE.countDown();
      }
      try {
        run(cipher, CALLS);
      } catch (Exception e) {
        // only an optimisation
      }
    }, "b247-ssh-warmup");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /**
   * Waits (at most {@code millis}) until the warm-up thread has asked the JVM to keep the key
   * exchange's post-quantum code out of the optimising compiler (or failed to); true when it is done.
   */
  static boolean kexCompileRuleSet(long millis) {
    try {
      return KEX_RULE.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the connection that follows ends with it
      return false;
    }
  }

  /** Adds {@link #KEX_DIRECTIVE} to the JVM's compiler directives; returns the JVM's answer, or null when it cannot. */
  static String keepKexOutOfC2() {
    return CompilerDirectives.add(KEX_DIRECTIVE);
  }

  /**
   * Encrypts {@code packets} small packets with {@code cipher} as a session does (an AEAD cipher
   * with the packet length as associated data, any other with HMAC-SHA-256, encrypt-then-MAC) and
   * decrypts them again; returns how many came back intact.
   */
  static int run(BuiltinCiphers cipher, int packets) throws Exception {
    boolean aead = cipher.getAuthenticationTagSize() > 0;
    Cipher enc = cipher.create();
    Cipher dec = cipher.create();
    byte[] key = new byte[cipher.getKdfSize()];
    byte[] iv = new byte[cipher.getIVSize()];
    enc.init(Cipher.Mode.Encrypt, key, iv);
    dec.init(Cipher.Mode.Decrypt, key, iv);
    Mac mac = aead ? null : BuiltinMacs.hmacsha256etm.create();
    if (mac != null) {
      mac.init(new byte[mac.getBlockSize()]);
    }
    byte[] tag = new byte[32];
    byte[] packet = new byte[4 + PAYLOAD + cipher.getAuthenticationTagSize()];
    byte[] plain = new byte[PAYLOAD];
    int intact = 0;
    for (int i = 0; i < packets; i++) {
      plain[0] = (byte) i;
      plain[1] = (byte) (i >> 8);
      System.arraycopy(plain, 0, packet, 4, PAYLOAD);
      if (aead) {
        enc.updateAAD(packet, 0, 4);
        enc.update(packet, 4, PAYLOAD); // appends the tag
        dec.updateAAD(packet, 0, 4);
        dec.update(packet, 4, PAYLOAD); // checks the tag
      } else {
        enc.update(packet, 4, PAYLOAD);
        mac.updateUInt(i);
        mac.update(packet, 0, 4 + PAYLOAD);
        mac.doFinal(tag, 0);
        dec.update(packet, 4, PAYLOAD);
      }
      if (Arrays.equals(packet, 4, 4 + PAYLOAD, plain, 0, PAYLOAD)) {
        intact++;
      }
    }
    return intact;
  }
}
