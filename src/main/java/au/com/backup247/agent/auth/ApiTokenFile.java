package au.com.backup247.agent.auth;

import au.com.backup247.agent.home.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API token of the running agent in a file of its home, readable by its owner only, for the
 * local CLI: written when the agent starts, deleted when it stops. Blocking file I/O.
 */
final class ApiTokenFile {
  private ApiTokenFile() {
  }

  static void write(Path file, String token) throws IOException {
    PrivateFiles.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static boolean delete(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }
}
