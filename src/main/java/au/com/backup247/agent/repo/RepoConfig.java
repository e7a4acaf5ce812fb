package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The repository's {@code config} object (FORMAT.md §7): parameters plus the wrapped master key,
 * MACed with a key derived from the master key.
 */
public record RepoConfig(int format, String setId, String created, int chunkerId, int chunkMin, int chunkAvg,
    int chunkMax, CipherSuite cipher, CompressionSetting compression, int blockSize, KeyType keyType,
    Kdf kdf, byte[] wrappedKey) {

  public static final int FORMAT = 1;

  /** Argon2id parameters (null for a Default key or no encryption). */
  public record Kdf(byte[] salt, int memoryKiB, int iterations, int parallelism) {
  }

  Props props() {
    Props p = new Props().put("format", format).put("setId", setId).put("created", created)
        .put("chunker.id", chunkerId).put("chunker.min", chunkMin).put("chunker.avg", chunkAvg)
        .put("chunker.max", chunkMax).put("cipher.id", cipher.id()).put("cipher.name", cipher.label())
        .put("compression", compression.label()).put("blockSize", blockSize).put("key.type", keyType.label());
    if (kdf != null) {
      p.put("key.kdf.id", 1).put("key.kdf.name", "argon2id").put("key.kdf.salt", b64(kdf.salt()))
          .put("key.kdf.memoryKiB", kdf.memoryKiB()).put("key.kdf.iterations", kdf.iterations())
          .put("key.kdf.parallelism", kdf.parallelism());
    } else {
      p.put("key.kdf.id", 0);
    }
    if (wrappedKey != null) {
      p.put("key.wrapped", b64(wrappedKey));
    }
    return p;
  }

  /** The text of {@code config}, with its MAC line. */
  public String text(MasterKey mk) {
    Props p = props();
    p.put("mac", b64(mk.configMac(p.text().getBytes(StandardCharsets.UTF_8))));
    return p.text();
  }

  public static RepoConfig parse(String text, String where) {
    Props p = Props.parse(text, where);
    long format = p.requireLong("format", where);
    if (format != FORMAT) {
      throw new RepoException(where + ": repository format " + format + " is not supported by this version (knows "
          + FORMAT + ")");
    }
    Kdf kdf = null;
    long kdfId = p.requireLong("key.kdf.id", where);
    if (kdfId == 1) {
      kdf = new Kdf(unb64(p.require("key.kdf.salt", where), where), (int) p.requireLong("key.kdf.memoryKiB", where),
          (int) p.requireLong("key.kdf.iterations", where), (int) p.requireLong("key.kdf.parallelism", where));
    } else if (kdfId != 0) {
      throw new RepoException(where + ": unknown kdf id " + kdfId);
    }
    String wrapped = p.get("key.wrapped");
    return new RepoConfig((int) format, p.require("setId", where), p.require("created", where),
        (int) p.requireLong("chunker.id", where), (int) p.requireLong("chunker.min", where),
        (int) p.requireLong("chunker.avg", where), (int) p.requireLong("chunker.max", where),
        CipherSuite.ofId((int) p.requireLong("cipher.id", where)),
        CompressionSetting.parse(p.require("compression", where)), (int) p.requireLong("blockSize", where),
        KeyType.parse(p.require("key.type", where)), kdf, wrapped == null ? null : unb64(wrapped, where));
  }

  /** Checks the MAC of {@code text} (as read) with the unwrapped master key. */
  public static void verifyMac(String text, MasterKey mk, String where) {
    Props p = Props.parse(text, where);
    String mac = p.require("mac", where);
    byte[] expected = mk.configMac(p.text("mac").getBytes(StandardCharsets.UTF_8));
    if (!MessageDigest.isEqual(expected, unb64(mac, where))) {
      throw new CorruptDataException(where + ": parameters were altered (config MAC does not match)");
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] unb64(String s, String where) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException(where + ": bad base64 value");
    }
  }
}
