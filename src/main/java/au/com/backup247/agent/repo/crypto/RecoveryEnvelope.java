package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * A set's key sealed to an administrator's recovery public key (guide ch. 9.1.4 "encryption
 * recovery"), so that a lost key can be recovered offline with the matching private key and
 * nothing else. Hybrid: a fresh AES-256-GCM key encrypts the content and is itself wrapped with
 * RSA-OAEP (SHA-256, MGF1-SHA-256) to a recovery key of at least 3072 bits (FORMAT.md §11):
 *
 * <pre>
 * offset  size  field
 * 0       8     magic "B247RCV\0"
 * 8       1     version 1
 * 9       1     scheme 1: RSA-OAEP-SHA-256 + AES-256-GCM
 * 10      32    recipient: SHA-256 of the recovery public key (SubjectPublicKeyInfo DER)
 * 42      2     n, length of wrapped (u16; 384 for RSA-3072)
 * 44      n     wrapped = RSA-OAEP(public key, K), K = 32 random bytes
 * 44+n    12    nonce (random)
 * 56+n    ..    AES-256-GCM(K, nonce, content, aad = "B247" 0x01 0x07 || bytes 0 .. 56+n) = ct || tag(16)
 *
 * content = "RCV1" | setId str | keyType str | key str        str = u16 length | UTF-8
 * </pre>
 * The same bytes are kept beside the set's key ({@code keys/<setId>.recovery}) and in every
 * repository of the set ({@code recovery/<recipient hex>.rcv}). Pure JDK cryptography; no Vert.x.
 */
public final class RecoveryEnvelope {
  /** Where the envelopes live in a repository. */
  public static final String DIR = "recovery/";
  /** The smallest recovery key accepted, in bits. */
  public static final int MIN_BITS = 3072;
  static final byte[] MAGIC = "B247RCV\0".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int SCHEME_RSA_OAEP_AES_GCM = 1;
  private static final byte[] CONTENT_MAGIC = "RCV1".getBytes(StandardCharsets.US_ASCII);
  private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
      PSource.PSpecified.DEFAULT);

  private RecoveryEnvelope() {
  }

  /** What an envelope holds: enough to write a key file that opens the set's repositories. */
  public record Content(String setId, KeyType keyType, String key) {
  }

  /** Seals {@code c} to {@code recoveryKey} (RSA, at least {@link #MIN_BITS} bits). */
  public static byte[] seal(PublicKey recoveryKey, Content c, SecureRandom random) {
    requireStrong(recoveryKey, "the recovery public key");
    try {
      byte[] k = new byte[32];
      random.nextBytes(k);
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.ENCRYPT_MODE, recoveryKey, OAEP, random);
      byte[] wrapped = rsa.doFinal(k);
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      ByteBuffer header = ByteBuffer.allocate(56 + wrapped.length);
      header.put(MAGIC).put((byte) VERSION).put((byte) SCHEME_RSA_OAEP_AES_GCM).put(recipient(recoveryKey))
          .putShort((short) wrapped.length).put(wrapped).put(nonce);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad(header.array()));
      byte[] ct = gcm.doFinal(content(c));
      Arrays.fill(k, (byte) 0);
      return ByteBuffer.allocate(header.capacity() + ct.length).put(header.array()).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new RepoException("cannot seal the key for recovery: " + e.getMessage());
    }
  }

  /**
   * Opens an envelope with the recovery private key; {@code where} names it in errors.
   *
   * @throws WrongKeyException when it was sealed to another recovery key
   * @throws CorruptDataException when it is damaged or not an envelope
   */
  public static Content open(PrivateKey recoveryKey, byte[] envelope, String where) {
    ByteBuffer b = ByteBuffer.wrap(envelope);
    byte[] magic = new byte[MAGIC.length];
    if (envelope.length < 56 + 16 || !Arrays.equals(get(b, magic), MAGIC)) {
      throw new CorruptDataException(where + " is not a recovery envelope");
    }
    int version = b.get() & 0xff;
    int scheme = b.get() & 0xff;
    if (version != VERSION || scheme != SCHEME_RSA_OAEP_AES_GCM) {
      throw new CorruptDataException(where + ": unknown recovery envelope version " + version + " or scheme "
          + scheme);
    }
    byte[] to = get(b, new byte[32]);
    if (recoveryKey instanceof RSAPrivateCrtKey crt && !Arrays.equals(to, recipient(publicKeyOf(crt)))) {
      throw new WrongKeyException(where + " was sealed to another recovery key (SHA-256 " + hex(to) + ")");
    }
    int n = b.getShort() & 0xffff;
    if (b.remaining() < n + 12 + 16) {
      throw new CorruptDataException(where + " is truncated");
    }
    byte[] wrapped = get(b, new byte[n]);
    byte[] nonce = get(b, new byte[12]);
    byte[] header = Arrays.copyOf(envelope, b.position());
    byte[] ct = get(b, new byte[b.remaining()]);
    byte[] k;
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.DECRYPT_MODE, recoveryKey, OAEP);
      k = rsa.doFinal(wrapped);
    } catch (BadPaddingException e) {
      throw new WrongKeyException(where + " cannot be opened with this recovery key");
    } catch (GeneralSecurityException e) {
      throw new WrongKeyException(where + " cannot be opened with this recovery key: " + e.getMessage());
    }
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(aad(header));
      return parse(gcm.doFinal(ct), where);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException(where + " is damaged (its authentication tag does not match)");
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The recipient id of a recovery key: SHA-256 of its SubjectPublicKeyInfo DER. */
  public static byte[] recipient(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** The recipient an envelope names (bytes 10..42); {@link CorruptDataException} when it is not one. */
  public static byte[] recipientOf(byte[] envelope, String where) {
    if (envelope.length < 42 || !Arrays.equals(Arrays.copyOf(envelope, MAGIC.length), MAGIC)) {
      throw new CorruptDataException(where + " is not a recovery envelope");
    }
    return Arrays.copyOfRange(envelope, 10, 42);
  }

  /** The object path of an envelope in a repository: {@code recovery/<recipient hex>.rcv}. */
  public static String objectPath(byte[] recipient) {
    return DIR + hex(recipient) + ".rcv";
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A new recovery key pair: RSA-3072, public exponent 65537. */
  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(new RSAKeyGenParameterSpec(MIN_BITS, RSAKeyGenParameterSpec.F4), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is missing from this Java runtime", e);
    }
  }

  /** PEM text of a key: {@code PUBLIC KEY} (SubjectPublicKeyInfo) or {@code PRIVATE KEY} (PKCS#8), as openssl writes them. */
  public static byte[] pem(java.security.Key key) {
    String type = key instanceof PublicKey ? "PUBLIC KEY" : "PRIVATE KEY";
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads an RSA public key (PEM {@code PUBLIC KEY}) of at least {@link #MIN_BITS} bits. */
  public static PublicKey readPublicKey(Path file) {
    try {
      PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(file, "PUBLIC KEY")));
      requireStrong(k, "recovery public key " + file);
      return k;
    } catch (GeneralSecurityException e) {
      throw new RepoException("recovery public key " + file + " is not an RSA public key: " + e.getMessage());
    }
  }

  /** Reads an RSA private key (PEM {@code PRIVATE KEY}, PKCS#8, unencrypted). */
  public static PrivateKey readPrivateKey(Path file) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new RepoException("recovery private key " + file + " is not an RSA private key: " + e.getMessage());
    }
  }

  private static byte[] der(Path file, String type) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new RepoException("recovery key file " + file + " does not exist");
    } catch (IOException e) {
      throw new RepoException("recovery key file " + file + " cannot be read: " + e.getMessage());
    }
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new RepoException("recovery key file " + file + " holds no PEM " + type + " (" + begin + ")");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new RepoException("recovery key file " + file + ": bad base64 in its PEM " + type);
    }
  }

  private static void requireStrong(PublicKey k, String what) {
    if (!(k instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_BITS) {
      throw new RepoException(what + " must be an RSA key of at least " + MIN_BITS + " bits");
    }
  }

  /** The public key of an RSA private key (PKCS#8 keys carry its exponent). */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof RSAPrivateCrtKey k)) {
      throw new RepoException("the recovery private key must be an RSA key with its public exponent (PKCS#8)");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] aad(byte[] header) {
    byte[] prefix = {'B', '2', '4', '7', 0x01, (byte) ObjectTypes.RECOVERY};
    byte[] out = Arrays.copyOf(prefix, prefix.length + header.length);
    System.arraycopy(header, 0, out, prefix.length, header.length);
    return out;
  }

  private static byte[] content(Content c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(CONTENT_MAGIC);
    for (String s : new String[] {c.setId(), c.keyType().label(), c.key()}) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0xffff) {
        throw new RepoException("a recovery envelope holds strings of at most 65535 bytes");
      }
      out.write(b.length >>> 8);
      out.write(b.length & 0xff);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private static Content parse(byte[] plain, String where) {
    ByteBuffer b = ByteBuffer.wrap(plain);
    try {
      if (!Arrays.equals(get(b, new byte[4]), CONTENT_MAGIC)) {
        throw new CorruptDataException(where + ": unknown recovery content");
      }
      String setId = string(b);
      KeyType type = KeyType.parse(string(b));
      return new Content(setId, type, string(b));
    } catch (java.nio.BufferUnderflowException e) {
      throw new CorruptDataException(where + ": recovery content is truncated");
    }
  }

  private static String string(ByteBuffer b) {
    return new String(get(b, new byte[b.getShort() & 0xffff]), StandardCharsets.UTF_8);
  }

  private static byte[] get(ByteBuffer b, byte[] into) {
    b.get(into);
    return into;
  }
}
