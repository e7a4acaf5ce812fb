package au.com.backup247.agent.repo.pack;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.crypto.ObjectSealer;
import au.com.backup247.agent.repo.error.CorruptDataException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A standalone sealed object — index segment or manifest (FORMAT.md §5, §6):
 * {@code magic(8) | ver | cipher | rsvd(2) | salt(16) | sealed payload}; the payload's nonce is 28.
 */
public final class SealedObject {
  public static final byte[] INDEX_MAGIC = "B247IDX\0".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] JOB_MAGIC = "B247JOB\0".getBytes(StandardCharsets.US_ASCII);
  static final int PROLOGUE = 28;

  private SealedObject() {
  }

  /** The id that binds an object to its name: SHA-256 of e.g. "index/2026-11-26-08-00-00". */
  public static byte[] nameId(String name) {
    return au.com.backup247.agent.repo.crypto.Hashes.sha256(name);
  }

  public static byte[] write(byte[] magic, CipherSuite suite, MasterKey mk, SecureRandom random, int type, byte[] id,
      byte[] body) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] sealed = ObjectSealer.create(suite, mk, salt).seal(type, id, PROLOGUE, body, 0, body.length);
    byte[] out = new byte[PROLOGUE + sealed.length];
    System.arraycopy(magic, 0, out, 0, 8);
    out[8] = 1;
    out[9] = (byte) suite.id();
    System.arraycopy(salt, 0, out, 12, 16);
    System.arraycopy(sealed, 0, out, PROLOGUE, sealed.length);
    return out;
  }

  /** Verifies and returns the body (codec byte + payload); {@code what} names the object in errors. */
  public static byte[] read(byte[] magic, CipherSuite suite, MasterKey mk, int type, byte[] id, byte[] data,
      String what) {
    if (data.length < PROLOGUE || !Arrays.equals(data, 0, 8, magic, 0, 8)) {
      throw new CorruptDataException(what + " is not a B247 object of the expected kind");
    }
    if (data[8] != 1) {
      throw new CorruptDataException(what + " has unknown format version " + data[8]);
    }
    if ((data[9] & 0xFF) != suite.id()) {
      throw new CorruptDataException(what + " uses cipher " + (data[9] & 0xFF) + ", the repository " + suite.id());
    }
    ObjectSealer sealer = ObjectSealer.create(suite, mk, Arrays.copyOfRange(data, 12, 28));
    try {
      return sealer.open(type, id, PROLOGUE, data, PROLOGUE, data.length - PROLOGUE);
    } catch (CorruptDataException e) {
      throw new CorruptDataException(what + " failed authentication (damaged, or not this repository's)");
    }
  }
}
