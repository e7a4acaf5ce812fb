package au.com.backup247.agent.sets;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import java.util.Objects;

/**
 * A set's encryption (guide ch. 9.5 "Others", ch. 10 step 14), fixed when the set is created. The
 * key itself is never part of the settings: it is kept in {@code keys/<setId>.key}.
 *
 * @param enabled "Encrypt Backup Data"
 * @param type default (a random key the agent makes), password or custom (a key the user gives)
 * @param keyBits 128 or 256
 * @param mode GCM or CBC (CBC with HMAC-SHA-256); ECB is refused
 */
public record Encryption(boolean enabled, KeyType type, int keyBits, Mode mode) {

  /** The algorithm; AES is the only one. */
  public static final String ALGORITHM = "AES";

  /** On, default key, AES-256-GCM. */
  public static final Encryption DEFAULT = new Encryption(true, KeyType.DEFAULT, 256, Mode.GCM);

  /** Off. */
  public static final Encryption OFF = new Encryption(false, KeyType.DEFAULT, 256, Mode.GCM);

  /** Block cipher modes offered. */
  public enum Mode implements Labeled {
    GCM, CBC
  }

  public Encryption {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mode, "mode");
  }

  /** The repository's cipher for these settings. */
  public CipherSuite cipher() {
    if (!enabled) {
      return CipherSuite.NONE;
    }
    if (mode == Mode.GCM) {
      return keyBits == 128 ? CipherSuite.AES_128_GCM : CipherSuite.AES_256_GCM;
    }
    return keyBits == 128 ? CipherSuite.AES_128_CBC_HMAC : CipherSuite.AES_256_CBC_HMAC;
  }
}
