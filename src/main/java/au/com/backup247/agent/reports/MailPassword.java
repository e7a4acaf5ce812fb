package au.com.backup247.agent.reports;

import au.com.backup247.agent.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The SMTP password of the email reports, read from its file. Blocking file I/O. */
final class MailPassword {
  private MailPassword() {
  }

  /**
   * The SMTP password from {@code file} (relative to {@code home}): its first line, from a file
   * only its owner may read. Errors name the key, never the content.
   */
  static String read(Path home, String file) {
    Path p = home.resolve(file);
    try {
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        for (PosixFilePermission x : perms) {
          if (x.name().startsWith("GROUP") || x.name().startsWith("OTHERS")) {
            throw new ConfigException("agent.json: mail.passwordFile " + p
                + " must be readable by its owner only (chmod 600)");
          }
        }
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: nothing to check
      }
      String text = Files.readString(p, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      String pw = (nl < 0 ? text : text.substring(0, nl)).strip();
      if (pw.isEmpty()) {
        throw new ConfigException("agent.json: mail.passwordFile " + p + " is empty");
      }
      return pw;
    } catch (IOException e) {
      throw new ConfigException("agent.json: mail.passwordFile " + p + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
