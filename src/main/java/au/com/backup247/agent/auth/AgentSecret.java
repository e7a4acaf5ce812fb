package au.com.backup247.agent.auth;

import au.com.backup247.agent.config.ConfigException;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.home.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's own 32-byte secret ({@code <home>/keys/agent.secret}, mode 0600), from which each use
 * derives its own key, so that one use's key reveals nothing about another's:
 * <pre>
 * file:     base64(32 random bytes) ⏎
 * key(use): HMAC-SHA256(secret, "b247 " + use)     e.g. use = "secret-box v1", "device-cookie v1"
 * </pre>
 * Losing the file makes every value sealed under it unreadable (TOTP secrets: users enrol again).
 * {@link #toString()} never shows the secret.
 */
final class AgentSecret {
  /** Bytes of secret. */
  public static final int BYTES = 32;
  private final byte[] secret;

  AgentSecret(byte[] secret) {
    if (secret.length != BYTES) {
      throw new IllegalArgumentException("the agent secret must be " + BYTES + " bytes, got " + secret.length);
    }
    this.secret = secret.clone();
  }

  /**
   * Reads {@code keyFile}, or creates it (0600, in a 0700 folder) with a new random secret when it
   * does not exist. Blocking file I/O: call at start, or on a worker thread.
   *
   * @throws ConfigException naming the path when it is readable or writable by group or others,
   *     cannot be read or written, or does not hold 32 bytes in base64
   */
  public static AgentSecret load(Path keyFile) {
    try {
      if (!Files.exists(keyFile)) {
        byte[] fresh = new byte[BYTES];
        new SecureRandom().nextBytes(fresh);
        String line = Base64.getEncoder().encodeToString(fresh) + "\n";
        if (PrivateFiles.writeNew(keyFile, line.getBytes(StandardCharsets.US_ASCII))) {
          return new AgentSecret(fresh);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("agent secret " + keyFile + " cannot be created: " + e.getMessage());
    }
    String line = SecretFiles.firstLine(keyFile, "agent secret");
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(line);
    } catch (IllegalArgumentException e) {
      secret = new byte[0];
    }
    if (secret.length != BYTES) {
      throw new ConfigException("agent secret " + keyFile + " must hold " + BYTES + " bytes in base64 on one line");
    }
    return new AgentSecret(secret);
  }

  /** The 32-byte key for {@code use} (a fixed label such as {@code "secret-box v1"}). */
  public byte[] derive(String use) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(("b247 " + use).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AgentSecret[hidden]";
  }
}
