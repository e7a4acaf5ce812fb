package au.com.backup247.agent.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals small secrets (TOTP secrets) for the catalog with AES-256-GCM under a key derived from the
 * agent's secret ({@link AgentSecret#derive derive("secret-box v1")}):
 * <pre>
 * sealed = "sb1." base64url-no-padding( nonce[12] | ciphertext[n] | tag[16] )
 * AAD    = "b247 secret-box v1" 0x00 purpose          purpose e.g. "totp:&lt;userId&gt;:&lt;authenticatorId&gt;"
 * </pre>
 * The purpose is authenticated, not stored: a value copied to another row (another purpose) does
 * not open. Nonces are random (96 bits); safe for far more values than the catalog will hold
 * (NIST SP 800-38D: 2^32 under one key). Version {@code sb1} names this layout; a new one gets a
 * new prefix. Thread-safe; fast (no need for a worker thread).
 */
final class SecretBox {
  static final String VERSION = "sb1.";
  private static final String CONTEXT = "b247 secret-box v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public SecretBox(AgentSecret secret, SecureRandom random) {
    this.key = new SecretKeySpec(secret.derive("secret-box v1"), "AES");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * A box under the agent secret in {@code keyFile}, created 0600 when missing (see
   * {@link AgentSecret#load}, which also refuses a file others may read). Blocking file I/O.
   */
  public static SecretBox load(Path keyFile) {
    return new SecretBox(AgentSecret.load(keyFile), new SecureRandom());
  }

  /** {@code plaintext} sealed for {@code purpose}, as printable text. */
  public String seal(byte[] plaintext, String purpose) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, nonce, purpose).doFinal(plaintext);
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + ct.length).put(nonce).put(ct).array();
      return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The plaintext of {@code sealed}, which must have been sealed for {@code purpose}.
   *
   * @throws IllegalArgumentException when it is not a sealed value, was sealed for another purpose,
   *     was altered, or was sealed under another agent secret (the message names the purpose only)
   */
  public byte[] open(String sealed, String purpose) {
    byte[] in;
    try {
      in = sealed.startsWith(VERSION) ? Base64.getUrlDecoder().decode(sealed.substring(VERSION.length())) : null;
    } catch (IllegalArgumentException e) {
      in = null;
    }
    if (in == null || in.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("sealed value for " + purpose + " is not one (expected sb1. and base64url)");
    }
    try {
      return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE_BYTES), purpose)
          .doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("sealed value for " + purpose + " does not open: it was sealed for another "
          + "purpose or under another agent secret, or was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String purpose) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD((CONTEXT + "\0" + purpose).getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
