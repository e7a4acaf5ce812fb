package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The repository's 32-byte master secret MK and the keys derived from it (FORMAT §2). All keys are
 * derived once, in the constructor. Immutable and thread-safe; the key getters return copies.
 */
public final class MasterKey {
  /** Size of MK in bytes. */
  public static final int SIZE = 32;

  static final byte[] WRAP_AAD = "b247/v1/key-wrap".getBytes(StandardCharsets.US_ASCII);
  static final int WRAP_NONCE = 12;
  static final int WRAP_TAG = 16;
  /** Length of a wrapped key: nonce(12) || encrypted MK(32) || tag(16). */
  static final int WRAPPED_SIZE = WRAP_NONCE + SIZE + WRAP_TAG;

  private final byte[] mk;
  private final byte[] kId;
  private final byte[] kEnc;
  private final byte[] kMac;
  private final byte[] kGear;
  private final byte[] kCfg;
  private final SecretKeySpec idKeySpec;
  /** One HMAC(K_id) per thread: {@link #id} runs once per chunk on every worker thread. */
  private final ThreadLocal<Mac> idMac;

  private MasterKey(byte[] mk) {
    this.mk = mk;
    this.kId = Kdf.hkdf(mk, null, "b247/v1/chunk-id", 32);
    this.kEnc = Kdf.hkdf(mk, null, "b247/v1/data-enc", 32);
    this.kMac = Kdf.hkdf(mk, null, "b247/v1/data-mac", 32);
    this.kGear = Kdf.hkdf(mk, null, "b247/v1/gear", 32);
    this.kCfg = Kdf.hkdf(mk, null, "b247/v1/config-mac", 32);
    this.idKeySpec = new SecretKeySpec(kId, "HmacSHA256");
    this.idMac = ThreadLocal.withInitial(() -> hmac(idKeySpec));
  }

  /** A fresh random MK. */
  public static MasterKey generate(SecureRandom random) {
    byte[] mk = new byte[SIZE];
    random.nextBytes(mk);
    return new MasterKey(mk);
  }

  /** MK from its 32 bytes (copied). */
  public static MasterKey of(byte[] mk) {
    Objects.requireNonNull(mk, "mk");
    if (mk.length != SIZE) {
      throw new IllegalArgumentException("a master key is " + SIZE + " bytes, got " + mk.length);
    }
    return new MasterKey(mk.clone());
  }

  /** The key of an unencrypted repository (cipher NONE): 32 zero bytes. */
  public static MasterKey none() {
    return new MasterKey(new byte[SIZE]);
  }

  /** K_id = HKDF(MK, -, "b247/v1/chunk-id"): key of the chunk ids. */
  public byte[] chunkIdKey() {
    return kId.clone();
  }

  /** K_enc = HKDF(MK, -, "b247/v1/data-enc"): input for per-object encryption keys. */
  public byte[] encKey() {
    return kEnc.clone();
  }

  /** K_mac = HKDF(MK, -, "b247/v1/data-mac"): input for per-object MAC keys (CBC modes). */
  public byte[] macKey() {
    return kMac.clone();
  }

  /** K_gear = HKDF(MK, -, "b247/v1/gear"): key of the chunker's gear table. */
  public byte[] gearKey() {
    return kGear.clone();
  }

  /** K_cfg = HKDF(MK, -, "b247/v1/config-mac"): key of the MAC over {@code config}. */
  public byte[] configMacKey() {
    return kCfg.clone();
  }

  /**
   * A public fingerprint of MK: lowercase hex of the first 16 bytes of HKDF(MK, -, "b247/v1/key-id").
   * Reveals nothing about MK; the agent keeps it to recognise the repository it wrote (FORMAT §7).
   */
  public String fingerprint() {
    byte[] f = Kdf.hkdf(mk, null, "b247/v1/key-id", 16);
    StringBuilder sb = new StringBuilder();
    for (byte b : f) {
      sb.append(String.format("%02x", b & 0xFF));
    }
    return sb.toString();
  }

  /** Package-private access without a copy, for {@link ObjectSealer}. */
  byte[] encKeyRef() {
    return kEnc;
  }

  byte[] macKeyRef() {
    return kMac;
  }

  /** Chunk id: HMAC-SHA-256(K_id, data[off, off+len)) — 32 bytes. Thread-safe. */
  public byte[] id(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    Mac mac = idMac.get();
    mac.update(data, off, len);
    return mac.doFinal();
  }

  /** HMAC-SHA-256(K_cfg, data): the {@code mac} line of {@code config}. */
  public byte[] configMac(byte[] data) {
    Mac mac = hmac(new SecretKeySpec(kCfg, "HmacSHA256"));
    return mac.doFinal(data);
  }

  /**
   * HMAC-SHA-256(K_name, data), K_name = HKDF(MK, -, "b247/v1/name-mac"): the {@code mac} line of
   * the set's name record (FORMAT.md §12).
   */
  public byte[] nameMac(byte[] data) {
    return hmac(new SecretKeySpec(Kdf.hkdf(mk, null, "b247/v1/name-mac", 32), "HmacSHA256")).doFinal(data);
  }

  /**
   * Wraps MK under a key-encryption key: {@code nonce(12) || AES-256-GCM(kek, nonce, MK, aad =
   * "b247/v1/key-wrap")} — 60 bytes; stored base64 as {@code key.wrapped}.
   */
  public byte[] wrap(byte[] kek, SecureRandom random) {
    checkKek(kek);
    byte[] out = new byte[WRAPPED_SIZE];
    random.nextBytes(out);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(kek, "AES"),
          new GCMParameterSpec(WRAP_TAG * 8, out, 0, WRAP_NONCE));
      c.updateAAD(WRAP_AAD);
      int n = c.doFinal(mk, 0, SIZE, out, WRAP_NONCE);
      if (n != SIZE + WRAP_TAG) {
        throw new IllegalStateException("unexpected wrapped length " + n);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Unwraps a blob made by {@link #wrap}.
   *
   * @throws WrongKeyException "wrong key or password" when the tag does not verify
   * @throws RepoException when the blob is not 60 bytes
   */
  public static MasterKey unwrap(byte[] kek, byte[] wrapped) {
    checkKek(kek);
    if (wrapped == null || wrapped.length != WRAPPED_SIZE) {
      throw new RepoException(
          "malformed wrapped key: expected " + WRAPPED_SIZE + " bytes, got "
              + (wrapped == null ? "none" : wrapped.length + ""));
    }
    byte[] mk = new byte[SIZE];
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(kek, "AES"),
          new GCMParameterSpec(WRAP_TAG * 8, wrapped, 0, WRAP_NONCE));
      c.updateAAD(WRAP_AAD);
      int n = c.doFinal(wrapped, WRAP_NONCE, SIZE + WRAP_TAG, mk, 0);
      if (n != SIZE) {
        throw new RepoException("malformed wrapped key");
      }
    } catch (AEADBadTagException e) {
      throw new WrongKeyException("wrong key or password");
    } catch (GeneralSecurityException e) {
      throw new RepoException("malformed wrapped key: " + e.getMessage(), e);
    }
    return new MasterKey(mk);
  }

  private static void checkKek(byte[] kek) {
    if (kek == null || kek.length != 32) {
      throw new IllegalArgumentException(
          "a key-encryption key is 32 bytes, got " + (kek == null ? "none" : kek.length + ""));
    }
  }

  static Mac hmac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[hidden]";
  }
}
