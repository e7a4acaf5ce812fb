package au.com.backup247.agent.repo.crypto;

import au.com.backup247.agent.repo.error.RepoException;
import java.util.Locale;

/** What the user holds to open a repository ({@code key.type} in {@code config}, FORMAT §2). */
public enum KeyType {
  /** 32 random bytes shown once as 44 base64 characters; KEK = HKDF(userKey, -, "b247/v1/kek"). */
  DEFAULT("default"),
  /** A password; KEK = Argon2id(password, salt, m, t, p). */
  PASSWORD("password"),
  /** A user-chosen key string; KEK = Argon2id(key string, ...). */
  CUSTOM("custom");

  private static final KeyType[] VALUES = values();

  private final String label;

  KeyType(String label) {
    this.label = label;
  }

  /** The label used in {@code config} and on the command line. */
  public String label() {
    return label;
  }

  /** The key type with this label (case-insensitive); {@link RepoException} naming the allowed ones. */
  public static KeyType parse(String label) {
    String s = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (KeyType k : VALUES) {
      if (k.label.equals(s)) {
        return k;
      }
    }
    throw new RepoException("unknown key type '" + label + "'; allowed: default, password, custom");
  }
}
