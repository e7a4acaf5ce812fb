package au.com.backup247.agent.sets;

import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON form of {@link Encryption}; the key travels only in a create request and is never encoded.
 *
 * <pre>
 * "encryption": {
 *   "enabled": true,            default true ("Encrypt Backup Data")
 *   "type": "default",          default (the agent makes a random key) | password | custom
 *   "algorithm": "AES",         the only one
 *   "keyBits": 256,             128 | 256
 *   "mode": "gcm",              gcm (default) | cbc; ecb is refused
 *   "key": "..."                create only, password and custom only: 8..1024 characters,
 *                               one line, no blanks at either end (it is stored in a key file)
 * }
 * </pre>
 */
final class EncryptionJson {
  private static final Set<String> KEYS = Set.of("enabled", "type", "algorithm", "keyBits", "mode", "key");
  static final int MIN_KEY = 8;
  static final int MAX_KEY = 1024;

  private EncryptionJson() {
  }

  /** Decodes the settings (not the key); null when a field is bad. */
  static Encryption decode(JsonObject json, String prefix, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    f.rejectUnknown(KEYS, "an encryption setting");
    boolean enabled = f.bool("enabled", true);
    if (!enabled) {
      for (String k : new String[] {"type", "algorithm", "keyBits", "mode", "key"}) {
        if (f.has(k)) {
          f.error(k, "v.encryption.off");
        }
      }
      return Encryption.OFF;
    }
    KeyType type = keyType(f);
    String algorithm = f.string("algorithm", false);
    if (algorithm != null && !algorithm.trim().equalsIgnoreCase(Encryption.ALGORITHM)) {
      f.error("algorithm", "v.algorithm", algorithm);
    }
    int bits = f.integer("keyBits", 256, 128, 256);
    if (bits != 128 && bits != 256) {
      f.error("keyBits", "v.keyBits", bits);
    }
    Encryption.Mode mode = mode(f);
    return type == null || mode == null ? null : new Encryption(true, type, bits, mode);
  }

  private static KeyType keyType(SetFields f) {
    String s = f.string("type", false);
    if (s == null) {
      return KeyType.DEFAULT;
    }
    for (KeyType k : KeyType.values()) {
      if (k.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    f.error("type", "v.keyType", s);
    return null;
  }

  private static Encryption.Mode mode(SetFields f) {
    String s = f.string("mode", false);
    if (s == null) {
      return Encryption.Mode.GCM;
    }
    if (s.trim().equalsIgnoreCase("ecb")) {
      f.error("mode", "v.ecb");
      return null;
    }
    Encryption.Mode m = Labeled.parse(Encryption.Mode.values(), s);
    if (m == null) {
      f.error("mode", "v.mode", s);
    }
    return m;
  }

  /** Checks the key of a create request against the type; returns it (null for default or off). */
  static String createKey(JsonObject json, String prefix, Encryption enc, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    if (!f.has("key")) {
      if (enc != null && enc.enabled() && enc.type() != KeyType.DEFAULT) {
        f.error("key", "v.key.required", enc.type().label(), MIN_KEY, MAX_KEY);
      }
      return null;
    }
    String key = f.string("key", true);
    if (key == null || enc == null || !enc.enabled()) {
      return null;
    }
    if (enc.type() == KeyType.DEFAULT) {
      f.error("key", "v.key.default");
      return null;
    }
    FieldError.Problem problem = key.length() < MIN_KEY || key.length() > MAX_KEY
        ? FieldError.problem("v.key.length", MIN_KEY, MAX_KEY, key.length())
        : !key.equals(key.strip()) ? FieldError.problem("v.blankEnds")
        : key.chars().anyMatch(Character::isISOControl) ? FieldError.problem("v.key.line") : null;
    if (problem != null) {
      f.error("key", problem); // never echo the key itself
      return null;
    }
    return key;
  }

  static JsonObject encode(Encryption e) {
    if (!e.enabled()) {
      return new JsonObject().put("enabled", false);
    }
    return new JsonObject().put("enabled", true).put("type", e.type().label()).put("algorithm", Encryption.ALGORITHM)
        .put("keyBits", e.keyBits()).put("mode", e.mode().label());
  }
}
