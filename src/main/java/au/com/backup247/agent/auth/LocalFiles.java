package au.com.backup247.agent.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The secrets the agent hands to whoever can read its home, in {@code <home>/run/}:
 *
 * <pre>
 *   run/api-token    the local API token (one line), new at every start, removed at stop
 *   run/setup-code   the one-time setup code while no account exists (one line)
 * </pre>
 *
 * Both are written owner-only (0600) through a temporary file and a rename, so no reader ever sees
 * a partial or group-readable file.
 */
public final class LocalFiles {
  private LocalFiles() {
  }

  public static Path apiToken(Path home) {
    return home.resolve("run").resolve("api-token");
  }

  public static Path setupCode(Path home) {
    return home.resolve("run").resolve("setup-code");
  }

  /** Writes {@code value} and a newline to {@code file}, mode 0600, atomically. */
  public static void writeSecret(Path file, String value) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system: the home's own protection applies
    } catch (FileAlreadyExistsException e) {
      throw new IOException(tmp + " appeared while writing it; is another agent running on this home?");
    }
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The first line of {@code file}, if it exists. */
  public static Optional<String> readSecret(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String s = Files.readString(file, StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
