package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.CorruptDataException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the blobs of one block or standalone object (index segment, manifest) with that
 * object's keys, exactly as FORMAT §3:
 *
 * <pre>
 * aad       = "B247" || 0x01 || type (1) || id (32)                              38 bytes
 * GCM       : stored = AES-GCM(key, 0x00000000 || nonce (8), body, aad)          ct || tag(16)
 * CBC+HMAC  : iv     = first 16 bytes of HMAC-SHA-256(macKey, "iv" || nonce (8))
 *             stored = iv || AES-CBC-PKCS7(key, iv, body)
 *                         || HMAC-SHA-256(macKey, aad || nonce (8) || iv || ct)  tag 32 bytes
 * none      : stored = body || first 16 bytes of SHA-256(aad || body)
 * </pre>
 *
 * <p>The per-object keys are {@code HKDF(K_enc, salt, "b247/v1/object", 32)} (first 16 bytes for
 * AES-128) and, for CBC, {@code HKDF(K_mac, salt, "b247/v1/object-mac", 32)} (FORMAT §2).
 *
 * <p><b>Nonces.</b> The caller numbers the blobs of an object 0, 1, 2, ... and uses {@link
 * #HEADER_NONCE} for the object's own header. Each nonce must be sealed at most once per sealer
 * (i.e. per salt): sealing two different bodies under one GCM (key, nonce) destroys GCM's security.
 * The JDK notices an immediate repeat on the same thread, which is reported as an {@link
 * IllegalStateException}; other repeats are not detected.
 *
 * <p><b>Threads.</b> Instances are immutable and thread-safe. {@code Cipher}, {@code Mac} and
 * {@code MessageDigest} objects and small scratch buffers are cached per thread (shared by all
 * sealers), so a call allocates only its result (plus what the JDK allocates inside {@code init}).
 */
public final class ObjectSealer {
  /** The nonce of an object's own header: 2^63 - 1. */
  public static final long HEADER_NONCE = Long.MAX_VALUE;

  /** Length of the per-object salt. */
  static final int SALT_SIZE = 16;

  static final int ID_SIZE = 32;
  static final int AAD_SIZE = 38;
  static final int GCM_TAG = 16;
  static final int CBC_IV = 16;
  static final int CBC_TAG = 32;
  static final int BLOCK = 16;
  static final int CHECKSUM = 16;

  private static final String OBJECT_INFO = "b247/v1/object";
  private static final String OBJECT_MAC_INFO = "b247/v1/object-mac";

  private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

  private final CipherSuite suite;
  /** AES key (null for NONE). */
  private final SecretKeySpec key;
  /** HMAC key (CBC suites only). */
  private final SecretKeySpec macKey;

  private ObjectSealer(CipherSuite suite, SecretKeySpec key, SecretKeySpec macKey) {
    this.suite = suite;
    this.key = key;
    this.macKey = macKey;
  }

  /**
   * The sealer of one object.
   *
   * @param suite the repository's cipher
   * @param mk the master key (ignored, and may be null, for {@link CipherSuite#NONE})
   * @param salt16 the object's 16 random bytes, stored at the start of the object
   */
  public static ObjectSealer create(CipherSuite suite, MasterKey mk, byte[] salt16) {
    Objects.requireNonNull(suite, "suite");
    if (salt16 == null || salt16.length != SALT_SIZE) {
      throw new IllegalArgumentException(
          "an object salt is " + SALT_SIZE + " bytes, got "
              + (salt16 == null ? "none" : salt16.length + ""));
    }
    if (suite == CipherSuite.NONE) {
      return new ObjectSealer(suite, null, null);
    }
    Objects.requireNonNull(mk, "mk");
    byte[] k = Kdf.hkdf(mk.encKeyRef(), salt16, OBJECT_INFO, 32);
    SecretKeySpec key = new SecretKeySpec(k, 0, suite.keyBytes(), "AES");
    Arrays.fill(k, (byte) 0);
    SecretKeySpec macKey = null;
    if (suite.isCbc()) {
      byte[] m = Kdf.hkdf(mk.macKeyRef(), salt16, OBJECT_MAC_INFO, 32);
      macKey = new SecretKeySpec(m, "HmacSHA256");
      Arrays.fill(m, (byte) 0);
    }
    return new ObjectSealer(suite, key, macKey);
  }

  /** The cipher this sealer uses. */
  CipherSuite suite() {
    return suite;
  }

  /**
   * Seals one blob.
   *
   * @param type the object type (FORMAT §1), 0..255
   * @param id32 the blob's id, 32 bytes
   * @param nonce the blob's position in the object (0, 1, ...) or {@link #HEADER_NONCE}
   * @param body codec byte + payload (built by the caller)
   * @return the stored bytes: {@code len + }{@link CipherSuite#maxOverhead()} bytes at most
   */
  /**
   * Seals like {@link #seal} but writes the stored bytes into {@code dst} at {@code dstOff} (which
   * must have room for {@code len + }{@link CipherSuite#maxOverhead()} bytes) and returns their
   * length: a block writer seals straight into its buffer instead of allocating and copying.
   */
  public int sealInto(int type, byte[] id32, long nonce, byte[] body, int off, int len, byte[] dst, int dstOff) {
    if (suite != CipherSuite.AES_256_GCM && suite != CipherSuite.AES_128_GCM) {
      byte[] stored = seal(type, id32, nonce, body, off, len);
      System.arraycopy(stored, 0, dst, dstOff, stored.length);
      return stored.length;
    }
    checkArgs(type, id32, nonce);
    Objects.checkFromIndexSize(off, len, body.length);
    Objects.checkFromIndexSize(dstOff, len + GCM_TAG, dst.length);
    PerThread t = PER_THREAD.get();
    t.aad(type, id32);
    try {
      return sealGcm(t, nonce, body, off, len, dst, dstOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite.label() + " failed: " + e, e);
    }
  }

  public byte[] seal(int type, byte[] id32, long nonce, byte[] body, int off, int len) {
    checkArgs(type, id32, nonce);
    Objects.checkFromIndexSize(off, len, body.length);
    PerThread t = PER_THREAD.get();
    t.aad(type, id32);
    try {
      switch (suite) {
        case NONE:
          return sealNone(t, body, off, len);
        case AES_256_GCM:
        case AES_128_GCM:
          return sealGcm(t, nonce, body, off, len);
        default:
          return sealCbc(t, nonce, body, off, len);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(suite.label() + " failed: " + e, e);
    }
  }

  /**
   * Opens one blob: verifies it with the expected type, id and nonce and returns the body.
   *
   * @throws CorruptDataException "authentication failed" on any mismatch or truncation
   */
  public byte[] open(int type, byte[] id32, long nonce, byte[] stored, int off, int len) {
    checkArgs(type, id32, nonce);
    Objects.checkFromIndexSize(off, len, stored.length);
    PerThread t = PER_THREAD.get();
    t.aad(type, id32);
    try {
      switch (suite) {
        case NONE:
          return openNone(t, stored, off, len);
        case AES_256_GCM:
        case AES_128_GCM:
          return openGcm(t, nonce, stored, off, len);
        default:
          return openCbc(t, nonce, stored, off, len);
      }
    } catch (AEADBadTagException e) {
      throw authFailed();
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException("authentication failed", e);
    }
  }

  /**
   * Opens one blob like {@link #open} but leaves its body where its stored bytes were: the body is
   * {@code stored[off, off + returned length)} and the stored bytes are overwritten. For a reader that
   * owns the stored bytes: a large AES-GCM blob is then decrypted without allocating anything.
   *
   * @throws CorruptDataException "authentication failed" on any mismatch or truncation
   */
  public int openInPlace(int type, byte[] id32, long nonce, byte[] stored, int off, int len) {
    if ((suite == CipherSuite.AES_256_GCM || suite == CipherSuite.AES_128_GCM) && len - GCM_TAG >= FAST_OPEN_MIN) {
      checkArgs(type, id32, nonce);
      Objects.checkFromIndexSize(off, len, stored.length);
      PerThread t = PER_THREAD.get();
      t.aad(type, id32);
      try {
        return openGcmFast(t, nonce, stored, off, len, stored, off, GCM_SLICE);
      } catch (GeneralSecurityException e) {
        throw new CorruptDataException("authentication failed", e);
      }
    }
    byte[] body = open(type, id32, nonce, stored, off, len);
    System.arraycopy(body, 0, stored, off, body.length);
    return body.length;
  }

  /**
   * The AES-GCM fast open path ({@link #openGcmFast}) on a blob of any size, in slices of
   * {@code slice} bytes: {@link Warmup} runs it on tiny blobs so that the JIT compiles it (and the
   * JDK code it calls, with its AES and GHASH intrinsics) before the first real blob.
   */
  int openFast(int type, byte[] id32, long nonce, byte[] stored, int off, int len, byte[] out, int slice) {
    PerThread t = PER_THREAD.get();
    t.aad(type, id32);
    try {
      return openGcmFast(t, nonce, stored, off, len, out, 0, slice);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException("authentication failed", e);
    }
  }

  // ---- NONE ----------------------------------------------------------------------------------

  private static byte[] sealNone(PerThread t, byte[] body, int off, int len)
      throws GeneralSecurityException {
    byte[] out = new byte[len + CHECKSUM];
    System.arraycopy(body, off, out, 0, len);
    checksum(t, body, off, len);
    System.arraycopy(t.digest, 0, out, len, CHECKSUM);
    return out;
  }

  private static byte[] openNone(PerThread t, byte[] stored, int off, int len)
      throws GeneralSecurityException {
    if (len < CHECKSUM) {
      throw authFailed();
    }
    int bodyLen = len - CHECKSUM;
    checksum(t, stored, off, bodyLen);
    if (!constantTimeEquals(t.digest, 0, stored, off + bodyLen, CHECKSUM)) {
      throw authFailed();
    }
    return Arrays.copyOfRange(stored, off, off + bodyLen);
  }

  /** SHA-256(aad || data) into {@code t.digest}. */
  private static void checksum(PerThread t, byte[] data, int off, int len)
      throws GeneralSecurityException {
    MessageDigest md = t.sha256();
    md.update(t.aad, 0, AAD_SIZE);
    md.update(data, off, len);
    md.digest(t.digest, 0, 32);
  }

  // ---- GCM -----------------------------------------------------------------------------------

  static final int GCM_SLICE = 16 * 1024;
  /**
   * Slice of the first {@link #SMALL_SLICE_BYTES} sealed in this JVM: many small calls get the
   * JDK's GCM update path C2-compiled (where GHASH and AES-CTR become intrinsics) after one block
   * instead of five (a 16 MiB block in 16 KiB slices costs ~0.2 s of a core while interpreted).
   */
  static final int WARM_SLICE = 1024;
  static final long SMALL_SLICE_BYTES = 64L << 20;
  /** Bytes sealed with GCM so far (racy: only chooses a slice size). */
  static long sealedGcm;

  private byte[] sealGcm(PerThread t, long nonce, byte[] body, int off, int len)
      throws GeneralSecurityException {
    byte[] out = new byte[len + GCM_TAG];
    sealGcm(t, nonce, body, off, len, out, 0);
    return out;
  }

  private int sealGcm(PerThread t, long nonce, byte[] body, int off, int len, byte[] out, int outOff)
      throws GeneralSecurityException {
    Cipher c = t.gcm();
    try {
      c.init(Cipher.ENCRYPT_MODE, key, t.gcmSpec(nonce));
    } catch (InvalidAlgorithmParameterException e) {
      // the JDK refuses to encrypt twice in a row with one (key, iv): a caller bug
      throw new IllegalStateException(
          "nonce " + nonce + " was sealed twice with the same object key", e);
    }
    c.updateAAD(t.aad, 0, AAD_SIZE);
    // in slices: the JDK's AES-GCM code is JIT-compiled (with its intrinsics) only after many
    // calls; one call per 1 MiB blob leaves it interpreted (~70 MB/s) for most of a short run
    int slice = sealedGcm < SMALL_SLICE_BYTES ? WARM_SLICE : GCM_SLICE;
    sealedGcm += len;
    int n = 0;
    int done = 0;
    while (len - done > slice) {
      n += c.update(body, off + done, slice, out, outOff + n);
      done += slice;
    }
    n += c.doFinal(body, off + done, len - done, out, outOff + n);
    if (n != len + GCM_TAG) {
      throw new IllegalStateException("AES-GCM produced " + n + " bytes, expected " + (len + GCM_TAG));
    }
    return n;
  }

  private byte[] openGcm(PerThread t, long nonce, byte[] stored, int off, int len)
      throws GeneralSecurityException {
    if (len < GCM_TAG) {
      throw authFailed();
    }
    if (len - GCM_TAG >= FAST_OPEN_MIN) {
      byte[] plain = new byte[len - GCM_TAG];
      openGcmFast(t, nonce, stored, off, len, plain, 0, GCM_SLICE);
      return plain;
    }
    Cipher c = t.gcm();
    c.init(Cipher.DECRYPT_MODE, key, t.gcmSpec(nonce));
    c.updateAAD(t.aad, 0, AAD_SIZE);
    byte[] out = new byte[len - GCM_TAG];
    int n = c.doFinal(stored, off, len, out, 0);
    if (n != out.length) {
      throw authFailed();
    }
    return out;
  }

  static final int FAST_OPEN_MIN = 4096;

  /**
   * AES-GCM decryption through the JDK's fast paths. JDK 17's GCM <em>decryption</em> of large
   * inputs runs at ~70 MB/s until its loop is finally compiled (hundreds of MB later), while CTR
   * and GCM <em>encryption</em> are intrinsified at once. So: recover the plaintext with AES-CTR
   * from counter {@code nonce12 || 2} (exactly GCM's keystream), then re-seal it with GCM under the
   * same key, nonce and aad and compare the tag with the stored one in constant time. Equal tags
   * mean GHASH(aad, ciphertext) matched — the same check GCM decryption makes — and only then is the
   * plaintext reported as valid. Re-sealing the very plaintext that produced the ciphertext yields
   * the same ciphertext, so nothing new is ever encrypted under the (key, nonce); the re-sealed bytes
   * go to a per-thread scratch of one slice, only the tag is kept. The plaintext is written to
   * {@code out} at {@code outOff}, which may be the ciphertext itself ({@code stored} at {@code off}:
   * decrypted in place; the tag after it is left as it was). Returns the plaintext's length.
   */
  private int openGcmFast(PerThread t, long nonce, byte[] stored, int off, int len, byte[] out, int outOff,
      int slice) throws GeneralSecurityException {
    int ctLen = len - GCM_TAG;
    if (ctLen < 0) {
      throw authFailed();
    }
    Objects.checkFromIndexSize(outOff, ctLen, out.length);
    Cipher g = t.gcmVerify();
    GCMParameterSpec spec = t.gcmSpec(nonce);
    try {
      g.init(Cipher.ENCRYPT_MODE, key, spec);
    } catch (InvalidAlgorithmParameterException e) {
      // the JDK refuses a (key, nonce) just used for encryption by this cipher object (the same
      // blob opened twice in a row): point it at another nonce first; the re-seal repeats the
      // stored ciphertext, so no new ciphertext is made under the (key, nonce)
      g.init(Cipher.ENCRYPT_MODE, key, t.gcmSpec(nonce ^ 1));
      g.init(Cipher.ENCRYPT_MODE, key, spec);
    }
    byte[] counter = t.counter;
    System.arraycopy(spec.getIV(), 0, counter, 0, 12);
    counter[12] = 0;
    counter[13] = 0;
    counter[14] = 0;
    counter[15] = 2;
    Cipher ctr = t.ctr();
    ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
    int n = 0;
    int done = 0;
    while (ctLen - done > slice) {
      n += ctr.update(stored, off + done, slice, out, outOff + n);
      done += slice;
    }
    n += ctr.doFinal(stored, off + done, ctLen - done, out, outOff + n);
    if (n != ctLen) {
      throw authFailed();
    }
    g.updateAAD(t.aad, 0, AAD_SIZE);
    byte[] scratch = t.reseal(slice + GCM_TAG);
    done = 0;
    while (ctLen - done > slice) {
      g.update(out, outOff + done, slice, scratch, 0);
      done += slice;
    }
    int m = g.doFinal(out, outOff + done, ctLen - done, scratch, 0);
    if (m != ctLen - done + GCM_TAG || !constantTimeEquals(scratch, m - GCM_TAG, stored, off + ctLen, GCM_TAG)) {
      throw authFailed();
    }
    return ctLen;
  }

  // ---- CBC + HMAC ----------------------------------------------------------------------------

  private byte[] sealCbc(PerThread t, long nonce, byte[] body, int off, int len)
      throws GeneralSecurityException {
    int full = len - len % BLOCK; // whole blocks of the body
    int rest = len - full; // 0..15 bytes, padded to one block (16 bytes of padding when 0)
    int ctLen = full + BLOCK;
    byte[] out = new byte[CBC_IV + ctLen + CBC_TAG];
    Mac mac = t.mac(macKey);
    putLong(t.nonce8, 0, nonce);
    // iv = HMAC(macKey, "iv" || nonce)[0..16]
    mac.update((byte) 'i');
    mac.update((byte) 'v');
    mac.update(t.nonce8, 0, 8);
    mac.doFinal(t.digest, 0);
    System.arraycopy(t.digest, 0, out, 0, CBC_IV);
    // ct = AES-CBC(key, iv, body || PKCS#7 padding), padding done here so the JDK copies nothing
    byte[] last = t.block;
    System.arraycopy(body, off + full, last, 0, rest);
    Arrays.fill(last, rest, BLOCK, (byte) (BLOCK - rest));
    Cipher c = t.cbc();
    c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(out, 0, CBC_IV));
    int n = full == 0 ? 0 : c.update(body, off, full, out, CBC_IV);
    n += c.doFinal(last, 0, BLOCK, out, CBC_IV + n);
    if (n != ctLen) {
      throw new IllegalStateException("AES-CBC produced " + n + " bytes, expected " + ctLen);
    }
    // tag = HMAC(macKey, aad || nonce || iv || ct)
    mac.update(t.aad, 0, AAD_SIZE);
    mac.update(t.nonce8, 0, 8);
    mac.update(out, 0, CBC_IV + ctLen);
    mac.doFinal(out, CBC_IV + ctLen);
    return out;
  }

  private byte[] openCbc(PerThread t, long nonce, byte[] stored, int off, int len)
      throws GeneralSecurityException {
    int ctLen = len - CBC_IV - CBC_TAG;
    if (ctLen < BLOCK || ctLen % BLOCK != 0) {
      throw authFailed();
    }
    // verify the tag first (encrypt-then-MAC), in constant time
    Mac mac = t.mac(macKey);
    putLong(t.nonce8, 0, nonce);
    mac.update(t.aad, 0, AAD_SIZE);
    mac.update(t.nonce8, 0, 8);
    mac.update(stored, off, CBC_IV + ctLen);
    mac.doFinal(t.digest, 0);
    byte[] tag = Arrays.copyOfRange(stored, off + CBC_IV + ctLen, off + len);
    if (!MessageDigest.isEqual(t.digest, tag)) {
      throw authFailed();
    }
    int ctOff = off + CBC_IV;
    int lastOff = ctOff + ctLen - BLOCK;
    Cipher c = t.cbc();
    // 1. the last block alone (its IV is the previous ciphertext block) gives the padding length,
    //    so the result can be allocated at its exact size
    c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(stored, lastOff - BLOCK, BLOCK));
    byte[] last = t.block;
    c.doFinal(stored, lastOff, BLOCK, last, 0);
    int pad = last[BLOCK - 1] & 0xff;
    if (pad < 1 || pad > BLOCK) {
      throw authFailed(); // cannot happen with a valid tag unless keys are misused
    }
    for (int i = BLOCK - pad; i < BLOCK; i++) {
      if ((last[i] & 0xff) != pad) {
        throw authFailed();
      }
    }
    byte[] out = new byte[ctLen - pad];
    // 2. all blocks but the last, straight into the result
    if (ctLen > BLOCK) {
      c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(stored, off, CBC_IV));
      int n = c.doFinal(stored, ctOff, ctLen - BLOCK, out, 0);
      if (n != ctLen - BLOCK) {
        throw authFailed();
      }
    }
    System.arraycopy(last, 0, out, ctLen - BLOCK, BLOCK - pad);
    return out;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void checkArgs(int type, byte[] id32, long nonce) {
    if (type < 0 || type > 255) {
      throw new IllegalArgumentException("object type must be 0..255, got " + type);
    }
    if (id32 == null || id32.length != ID_SIZE) {
      throw new IllegalArgumentException(
          "a blob id is 32 bytes, got " + (id32 == null ? "none" : id32.length + ""));
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be >= 0, got " + nonce);
    }
  }

  private static CorruptDataException authFailed() {
    return new CorruptDataException("authentication failed");
  }

  private static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
    int d = 0;
    for (int i = 0; i < len; i++) {
      d |= a[aOff + i] ^ b[bOff + i];
    }
    return d == 0;
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** Per-thread JCA objects and scratch buffers, shared by all sealers on that thread. */
  private static final class PerThread {
    final byte[] aad = new byte[AAD_SIZE];
    final byte[] gcmIv = new byte[12];
    final byte[] nonce8 = new byte[8];
    final byte[] digest = new byte[32];
    final byte[] block = new byte[BLOCK];
    final byte[] counter = new byte[16];
    private byte[] reseal = new byte[0];
    private Cipher gcm;
    private Cipher cbc;
    private Mac mac;
    private SecretKeySpec macKeyInUse;
    private MessageDigest sha256;

    PerThread() {
      aad[0] = 'B';
      aad[1] = '2';
      aad[2] = '4';
      aad[3] = '7';
      aad[4] = 0x01;
    }

    void aad(int type, byte[] id32) {
      aad[5] = (byte) type;
      System.arraycopy(id32, 0, aad, 6, ID_SIZE);
    }

    GCMParameterSpec gcmSpec(long nonce) {
      // 4 zero bytes || nonce (8, big-endian); the spec copies the array
      putLong(gcmIv, 4, nonce);
      return new GCMParameterSpec(GCM_TAG * 8, gcmIv);
    }

    Cipher gcm() throws GeneralSecurityException {
      if (gcm == null) {
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
      }
      return gcm;
    }

    private Cipher ctr;
    private Cipher gcmVerify;

    /** Scratch for the re-sealed slices of {@link #openGcmFast} (kept: one slice and a tag). */
    byte[] reseal(int size) {
      if (reseal.length < size) {
        reseal = new byte[size];
      }
      return reseal;
    }

    Cipher ctr() throws GeneralSecurityException {
      if (ctr == null) {
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
      }
      return ctr;
    }

    Cipher gcmVerify() throws GeneralSecurityException {
      if (gcmVerify == null) {
        gcmVerify = Cipher.getInstance("AES/GCM/NoPadding");
      }
      return gcmVerify;
    }

    Cipher cbc() throws GeneralSecurityException {
      if (cbc == null) {
        cbc = Cipher.getInstance("AES/CBC/NoPadding");
      }
      return cbc;
    }

    /** The HMAC, keyed with {@code key}; re-keyed only when the sealer on this thread changes. */
    Mac mac(SecretKeySpec key) throws GeneralSecurityException {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
      }
      if (macKeyInUse != key) {
        mac.init(key);
        macKeyInUse = key;
      } else {
        mac.reset();
      }
      return mac;
    }

    MessageDigest sha256() throws NoSuchAlgorithmException {
      if (sha256 == null) {
        sha256 = MessageDigest.getInstance("SHA-256");
      } else {
        sha256.reset();
      }
      return sha256;
    }
  }
}
