package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.SetName;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.UserKeys;
import au.com.backup247.agent.repo.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 repo init}: creates a repository. */
@Command(name = "init", mixinStandardHelpOptions = true, description = {
    "Create a repository. When --key-file does not exist, a new Default key is generated and written there",
    "(keep it safe: it is the only way to restore). Otherwise the file's first line is the key:",
    "44 base64 characters = Default key, anything else = password (or --key-type custom)."})
final class RepoInitCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Option(names = "--key-type", paramLabel = "TYPE", description = "default, password or custom (default: from the key file).")
  String keyType;

  @Option(names = "--cipher", paramLabel = "CIPHER",
      description = {"aes-256-gcm (default), aes-128-gcm, aes-256-cbc-hmac, aes-128-cbc-hmac or none. ECB is refused.",
          "With --like: must match that repository's cipher; a repository without encryption is copied only with",
          "--cipher none."})
  String cipher;

  @Option(names = "--compression", paramLabel = "C", defaultValue = "fast-local",
      description = "none, normal (zstd 3), fast (lz4) or fast-local (default: lz4 when a sample shrinks).")
  String compression;

  @Option(names = "--chunk-size", paramLabel = "BYTES",
      description = "Fixed deduplication block size in bytes (default: Auto, content-defined ~1 MiB).")
  Integer chunkSize;

  @Option(names = "--pack-size", paramLabel = "MiB", defaultValue = "" + Repository.DEFAULT_BLOCK_SIZE_MIB,
      description = "Size of block files (default ${DEFAULT-VALUE}).")
  int packSizeMib;

  @Option(names = "--set-id", paramLabel = "ID", description = "Backup set id (default: now in milliseconds).")
  String setId;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The backup set's name, recorded in the repository (FORMAT.md section 12) so that --set NAME finds it.")
  String name;

  @Option(names = "--like", paramLabel = "URL",
      description = "Copy the key and parameters of this repository (same key file and credentials), so one backup "
          + "can write both.")
  String like;

  @Option(names = "--kdf-memory", paramLabel = "KiB", defaultValue = "47104", hidden = true)
  int kdfMemory;

  @Option(names = "--kdf-iterations", defaultValue = "1", hidden = true)
  int kdfIterations;

  @Override
  public Integer call() throws IOException {
    if (packSizeMib < 1 || packSizeMib > 1024) {
      throw new AgentException(Failure.BAD_REQUEST, "--pack-size must be between 1 and 1024 MiB, got " + packSizeMib);
    }
    if (name != null && !SetName.recordable(name)) {
      throw new AgentException(Failure.BAD_REQUEST, "--name must not be blank or hold a line break");
    }
    CipherSuite suite = CipherSuite.parse(cipher == null ? "aes-256-gcm" : cipher);
    CompressionSetting comp = CompressionSetting.parse(compression);
    try (Store store = repo.store()) {
      return init(store, suite, comp);
    }
  }

  private int init(Store store, CipherSuite suite, CompressionSetting comp) throws IOException {
    if (like != null) {
      Store otherStore = RepoOptions.store(RepoOptions.url(like), repo.location.credentials(),
          repo.throttle());
      try (Repository other = RepoOptions.openRepository(otherStore, RepoOptions.readKey(repo.keyFile))) {
        CipherSuite theirs = other.cipher();
        if (theirs == CipherSuite.NONE ? cipher == null || suite != CipherSuite.NONE
            : cipher != null && suite != theirs) {
          throw new AgentException(Failure.BAD_REQUEST, "repository " + otherStore.name() + " uses cipher "
              + theirs.label() + (theirs == CipherSuite.NONE ? " (no encryption); copy it only with --cipher none"
                  : ", not " + suite.label()) + "; nothing was created");
        }
        Repository made = Repository.initLike(store, other, RepoOptions.readKey(repo.keyFile));
        recordName(made);
        System.out.println("created repository " + store.name() + " with the key and parameters of "
            + otherStore.name() + " (cipher " + theirs.label() + ")");
      }
      return 0;
    }
    String secret = null;
    KeyType type = keyType == null ? null : KeyType.parse(keyType);
    if (suite != CipherSuite.NONE) {
      if (repo.keyFile == null) {
        throw new AgentException(Failure.BAD_REQUEST, "--key-file is required for an encrypted repository "
            + "(or --cipher none)");
      }
      if (!Files.exists(repo.keyFile)) {
        if (type != null && type != KeyType.DEFAULT) {
          throw new AgentException(Failure.BAD_REQUEST, "key file " + repo.keyFile + " does not exist; write the "
              + type.label() + " into it first");
        }
        secret = UserKeys.newDefaultKey(new SecureRandom());
        writeKeyFile(repo.keyFile, secret);
        type = KeyType.DEFAULT;
        System.out.println("A new Default key was written to " + repo.keyFile + ".");
        System.out.println("Keep a copy somewhere safe: without it this backup cannot be restored.");
      } else {
        secret = RepoOptions.readKey(repo.keyFile);
        if (type == null) {
          type = looksLikeDefaultKey(secret) ? KeyType.DEFAULT : KeyType.PASSWORD;
        }
      }
    }
    Repository.InitOptions opts = new Repository.InitOptions(setId != null ? setId
        : Long.toString(System.currentTimeMillis()), suite, comp, type == null ? KeyType.DEFAULT : type,
        chunkSize == null ? 0 : chunkSize, packSizeMib << 20, kdfMemory, kdfIterations);
    Repository r = Repository.init(store, opts, secret);
    recordName(r);
    System.out.println("created repository " + store.name() + " (set " + r.config().setId() + ", " + suite.label()
        + ", compression " + comp.label() + ", key type " + r.config().keyType().label() + ")");
    return 0;
  }

  private void recordName(Repository r) {
    if (name != null) {
      SetName.record(r, name);
    }
  }

  static boolean looksLikeDefaultKey(String s) {
    if (s == null || s.length() != 44) {
      return false;
    }
    try {
      return java.util.Base64.getDecoder().decode(s).length == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static void writeKeyFile(Path file, String key) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
  }
}
