package au.com.backup247.agent.home;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads files that hold a secret: refused (CONFIG_INVALID, naming the setting and the path,
 * never the content) when group or others may read or write them. Blocking file I/O.
 */
public final class SecretFiles {
  private SecretFiles() {
  }

  /** Refuses {@code file} when it is not private; {@code what} names the setting or role of the file. */
  public static void requirePrivate(Path file, String what) {
    Optional<String> mode;
    try {
      mode = PrivateFiles.openMode(file);
    } catch (IOException e) {
      throw new AgentException(Failure.CONFIG_INVALID, what + " " + file + " cannot be checked: " + e.getMessage());
    }
    if (mode.isPresent()) {
      throw new AgentException(Failure.CONFIG_INVALID, what + " " + file + " is readable or writable by group or others ("
          + mode.get() + "); run: chmod 600 " + file);
    }
  }

  /** The first line of the private file {@code file}, stripped; refused when missing, open or empty. */
  public static String firstLine(Path file, String what) {
    requirePrivate(file, what);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new AgentException(Failure.CONFIG_INVALID, what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new AgentException(Failure.CONFIG_INVALID, what + " " + file + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
    String line = text.lines().findFirst().orElse("").strip();
    if (line.isEmpty()) {
      throw new AgentException(Failure.CONFIG_INVALID, what + " " + file + " is empty");
    }
    return line;
  }
}
