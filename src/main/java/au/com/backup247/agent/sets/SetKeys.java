package au.com.backup247.agent.sets;

import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The sets' encryption keys: one file per set, {@code <keys>/<setId>.key}, holding the key on one
 * line — the format {@code b247 repo --key-file} reads, so the file alone is enough to restore
 * offline. The folder is 0700 and every file 0600, created so (never readable in between); a key
 * is written to a temporary file, forced to disk and renamed into place. A deleted set's key is
 * moved to {@code deleted/<setId>-<time>.key}, never destroyed: its backups may still need it.
 *
 * <p>With a recovery public key (agent.json {@code encryptionRecovery.publicKeyFile}), a set created
 * for an account with encryption recovery also gets {@code <setId>.recovery} (0600): its key sealed
 * to that public key ({@link RecoveryEnvelope}), written into each of its repositories as well, so
 * that the key can be recovered offline with the private key ({@code b247 repo recover-key}).
 *
 * <p>Blocking file I/O: call from a worker thread. Keys never appear in messages or logs.
 */
public final class SetKeys {
  private final Path dir;
  private final PublicKey recoveryKey;
  private final SecureRandom random = new SecureRandom();

  public SetKeys(Path dir) {
    this(dir, null);
  }

  /** With the recovery public key new keys may be sealed to (null: none configured). */
  public SetKeys(Path dir, PublicKey recoveryKey) {
    this.dir = dir;
    this.recoveryKey = recoveryKey;
  }

  /** Whether a recovery public key is configured. */
  boolean recoveryConfigured() {
    return recoveryKey != null;
  }

  /** The key of a set sealed to the recovery public key, beside its key file. */
  public Path recoveryFile(long setId) {
    return dir.resolve(setId + ".recovery");
  }

  /** Seals a new set's key to the recovery public key and writes {@code <setId>.recovery} (0600). */
  void sealForRecovery(long setId, KeyType type, String key) throws IOException {
    byte[] envelope = RecoveryEnvelope.seal(recoveryKey, new RecoveryEnvelope.Content(Long.toString(setId), type,
        key), random);
    PrivateFiles.write(recoveryFile(setId), envelope);
  }

  /** The set's recovery envelope, if it has one. */
  public Optional<byte[]> readRecovery(long setId) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(recoveryFile(setId)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  public Path file(long setId) {
    return dir.resolve(setId + ".key");
  }

  /** Writes a new key; false (and nothing written) when the set already has a key file. */
  boolean tryWrite(long setId, String key) throws IOException {
    ensureDir(dir);
    return PrivateFiles.writeNew(file(setId), (key + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The key of a set, if its file exists. */
  public Optional<String> read(long setId) throws IOException {
    try {
      String s = Files.readString(file(setId), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return Optional.of(nl >= 0 ? s.substring(0, nl) : s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Removes a key written for a set that was then not stored. */
  void discard(long setId) throws IOException {
    Files.deleteIfExists(recoveryFile(setId));
    Files.deleteIfExists(file(setId));
  }

  /** Moves a deleted set's key aside; returns where it went, or empty when there was none. */
  Optional<Path> retire(long setId, long now) throws IOException {
    Path from = file(setId);
    if (!Files.exists(from)) {
      return Optional.empty();
    }
    Path deleted = dir.resolve("deleted");
    ensureDir(deleted);
    Path to = deleted.resolve(setId + "-" + now + ".key");
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    if (Files.exists(recoveryFile(setId))) {
      Files.move(recoveryFile(setId), deleted.resolve(setId + "-" + now + ".recovery"), StandardCopyOption.ATOMIC_MOVE);
    }
    return Optional.of(to);
  }

  private static void ensureDir(Path d) throws IOException {
    PrivateFiles.createDir(d);
    PrivateFiles.restrict(d);
  }
}
