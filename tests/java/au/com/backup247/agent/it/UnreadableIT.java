package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unreadable files and folders (issue: "warning, job continues, report says which"). Root reads
 * everything, so the backup runs as the unprivileged user "nobody" (setpriv) over a tree where one
 * file and one folder are mode 000.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class UnreadableIT {

  @Test
  void unreadableFileAndFolder_areWarnings_andTheRestIsBackedUp(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(
        "/usr/bin/setpriv")), "needs root and setpriv to run the backup as another user");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("closed"));
    Files.writeString(src.resolve("open.txt"), "readable");
    Files.writeString(src.resolve("secret.txt"), "not for nobody");
    Files.writeString(src.resolve("closed/inside.txt"), "hidden");
    Path jar = dir.resolve("b247-agent.jar");
    Files.copy(Path.of(AgentProcess.JAR), jar);
    Path home = dir.resolve("nobody"); // where nobody may write: key, repository, restore target
    Files.createDirectories(home);
    Files.setOwner(home, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    Path key = home.resolve("key");
    Path repo = home.resolve("repo");
    AgentProcess.Result init = asNobody(dir, jar, "repo", "init", "--repo", repo.toString(), "--key-file",
        key.toString(), "--kdf-memory", "1024", "--kdf-iterations", "1");
    assertEquals(0, init.exit(), init.all());
    Files.setPosixFilePermissions(src.resolve("secret.txt"), PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(src.resolve("closed"), PosixFilePermissions.fromString("---------"));
    AgentProcess.Result backup = asNobody(dir, jar, "repo", "backup", "--repo", repo.toString(), "--key-file",
        key.toString(), src.toString());
    assertEquals(0, backup.exit(), "warnings only: " + backup.all());
    assertTrue(backup.all().contains("file " + src.resolve("secret.txt") + " cannot be read (permission denied)"),
        backup.all());
    assertTrue(backup.all().contains("folder " + src.resolve("closed") + " cannot be read (permission denied)"),
        backup.all());
    AgentProcess.Result restore = asNobody(dir, jar, "repo", "restore", "--repo", repo.toString(), "--key-file",
        key.toString(), "--target", home.resolve("out").toString());
    assertEquals(0, restore.exit(), restore.all());
    Path back = RepoCliIT.restored(home.resolve("out"), src);
    assertEquals("readable", Files.readString(back.resolve("open.txt")));
    assertTrue(Files.notExists(back.resolve("secret.txt")), "an unreadable file is not restored as empty");
  }

  private static AgentProcess.Result asNobody(Path dir, Path jar, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups", AgentProcess.java(), "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path out = Files.createTempFile("b247-nobody", ".out");
    Path err = Files.createTempFile("b247-nobody", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.environment().put("HOME", dir.resolve("nobody").toString());
    pb.directory(dir.resolve("nobody").toFile());
    Process p = pb.start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", args) + " did not finish");
    }
    return new AgentProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
