package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real system account for the servers that log in only such users: vsftpd and pure-ftpd (local
 * users through PAM or {@code /etc/shadow}) and OpenSSH with a chrooted SFTP user. Named by the
 * system property {@code b247.testUser} ({@code b247test} without it): Maven runs the unit tests in
 * parallel JVMs and names the user of each after its fork ({@code b247test1}, {@code b247test2}),
 * because each JVM sets its own password and removes its user when it ends. Home {@code /} and
 * shell {@code /bin/sh} (vsftpd's PAM service accepts only
 * shells listed in {@code /etc/shells}), and a random password set for each test run. Created with
 * {@code useradd} on first use and removed with {@code userdel} when the JVM ends. Needs root (as
 * CI runs): elsewhere the tests that need it are skipped, and under {@code CI=true} they fail.
 */
public final class SystemUser {
  public static final String NAME = name(System.getProperty("b247.testUser", "b247test"));
  private static SystemUser instance;

  private final String password;
  private final int uid;
  private final int gid;

  private SystemUser(String password, int uid, int gid) {
    this.password = password;
    this.uid = uid;
    this.gid = gid;
  }

  /** {@code name}, checked: it goes into server configurations and command lines. */
  private static String name(String name) {
    if (!name.matches("[a-z][a-z0-9_-]{0,30}")) {
      throw new IllegalArgumentException("b247.testUser must be a lowercase user name, got \"" + name + "\"");
    }
    return name;
  }

  public String name() {
    return NAME;
  }

  public String password() {
    return password;
  }

  public int uid() {
    return uid;
  }

  /** The account, made on first use; skips (fails under CI=true) when this is not root. */
  public static synchronized SystemUser get() throws Exception {
    if (instance != null) {
      return instance;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean tools = Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/sbin/chpasswd"));
    String why = "this test logs in a real system user (" + NAME + "), which needs root and useradd";
    Assertions.assertFalse((!root || !tools) && "true".equals(System.getenv("CI")), why);
    Assumptions.assumeTrue(root && tools, why);
    if (run(List.of("id", "-u", NAME), null).exitCode != 0) {
      Result made = run(List.of("/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", "/", "--shell",
          "/bin/sh", NAME), null);
      if (made.exitCode != 0 && run(List.of("id", "-u", NAME), null).exitCode != 0) {
        throw new IllegalStateException("useradd " + NAME + " failed: " + made.output);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          run(List.of("/usr/sbin/userdel", NAME), null);
        } catch (Exception ignored) {
          // the account stays, with a password nobody knows
        }
      }));
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = "T" + HexFormat.of().formatHex(random);
    Result set = run(List.of("/usr/sbin/chpasswd"), NAME + ":" + password + "\n");
    if (set.exitCode != 0) {
      throw new IllegalStateException("chpasswd for " + NAME + " failed: " + set.output);
    }
    int uid = Integer.parseInt(run(List.of("id", "-u", NAME), null).output.strip());
    int gid = Integer.parseInt(run(List.of("id", "-g", NAME), null).output.strip());
    instance = new SystemUser(password, uid, gid);
    return instance;
  }

  /**
   * A new folder for this user's files: {@code parent/name} owned by the user, in a parent that
   * everyone may enter (the servers open it as the user).
   */
  public Path ownFolder(Path parent, String name) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    giveAway(dir);
    return dir;
  }

  /** Makes the user own {@code path}. */
  public void giveAway(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid);
    Files.setAttribute(path, "unix:gid", gid);
  }

  /** Makes the user own {@code root} and everything below it. */
  public void giveAwayAll(Path root) throws IOException {
    try (var all = Files.walk(root)) {
      for (Path p : all.toList()) {
        giveAway(p);
      }
    }
  }

  /** Deletes {@code root} with everything below it, ignoring failures (null: nothing). */
  public static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (var all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temp folder left behind
    }
  }

  /** A new temp folder with mode 755, so that a server running as this user can reach what is below it. */
  public static Path openTempFolder(String prefix) throws IOException {
    return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  private record Result(int exitCode, String output) {
  }

  private static Result run(List<String> command, String input) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}
