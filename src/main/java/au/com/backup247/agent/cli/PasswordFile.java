package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.PrivateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Passwords for the CLI come from a file (never an argument: the process list would show it): its
 * first line, which must not be readable by others, or standard input for {@code -}.
 */
final class PasswordFile {
  private PasswordFile() {
  }

  static String read(Path file, String option) {
    try {
      String text;
      if (file.toString().equals("-")) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        text = in.readLine();
      } else {
        Optional<String> open = PrivateFiles.openMode(file);
        if (open.isPresent()) {
          throw new AgentException(Failure.BAD_REQUEST, option + " " + file + " may be read by others (" + open.get()
              + "); run: chmod 600 " + file);
        }
        text = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse(null);
      }
      if (text == null || text.isEmpty()) {
        throw new AgentException(Failure.BAD_REQUEST, option + " " + file + " is empty: its first line is the password");
      }
      return text;
    } catch (IOException e) {
      throw new AgentException(Failure.BAD_REQUEST, option + " " + file + " cannot be read: "
          + au.com.backup247.agent.fs.IoReason.of(e));
    }
  }
}
