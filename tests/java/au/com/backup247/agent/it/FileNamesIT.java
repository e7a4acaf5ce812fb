package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names and the locale (TEST-MATRIX S1): non-ASCII names survive a backup run under the POSIX
 * locale through the launcher, and names that are not valid UTF-8 are stored and restored byte for
 * byte, whatever the locale of the backup and of the restore.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FileNamesIT {

  @Test
  void launcher_backsUpNonAsciiNames_evenUnderThePosixLocale(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("résumé"));
    Files.writeString(src.resolve("résumé/naïve – 東京.txt"), "unicode");
    Path key = dir.resolve("key");
    Path repo = dir.resolve("repo");
    Path root = Path.of(AgentProcess.JAR).toAbsolutePath().getParent().getParent();
    String launcher = root.resolve("launch/b247").toString();
    Map<String, String> posix = Map.of("LANG", "", "LC_ALL", "", "LC_CTYPE", "");
    AgentProcess.Result init = RepoCliIT.b247(dir, Map.of(), "repo", "init", "--repo", repo.toString(), "--key-file",
        key.toString(), "--kdf-memory", "1024", "--kdf-iterations", "1");
    assertEquals(0, init.exit(), init.all());
    AgentProcess.Result backup = AgentProcess.shell(240, posix, launcher, "repo", "backup", "--repo",
        repo.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(0, backup.exit(), backup.all());
    AgentProcess.Result restore = AgentProcess.shell(240, posix, launcher, "repo", "restore", "--repo",
        repo.toString(), "--key-file", key.toString(), "--target", dir.resolve("out").toString());
    assertEquals(0, restore.exit(), restore.all());
    Path back = RepoCliIT.restored(dir.resolve("out"), src).resolve("résumé/naïve – 東京.txt");
    assertEquals("unicode", Files.readString(back));
  }

  @Test
  void invalidUtf8Names_areStoredAndRestoredByteForByte_underAnyLocale(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    // 0xFF and 0xFE are never valid UTF-8 (both used to become one U+FFFD name, losing a file);
    // 0xE9 is "é" in Latin-1; the link's target is not valid UTF-8 either
    AgentProcess.Result made = AgentProcess.shell(30, "bash", "-c", "cd \"$1\" && printf one > $'a\\xffb' && "
        + "printf two > $'a\\xfeb' && mkdir $'caf\\xe9' && printf three > $'caf\\xe9/x\\xc3' && "
        + "ln -s $'t\\xff' link", "_", src.toString());
    assertEquals(0, made.exit(), made.all());
    Path key = dir.resolve("key");
    Path repo = dir.resolve("repo");
    assertEquals(0, RepoCliIT.b247(dir, "repo", "init", "--repo", repo.toString(), "--key-file", key.toString(),
        "--kdf-memory", "1024", "--kdf-iterations", "1").exit());
    AgentProcess.Result backup = RepoCliIT.b247(dir, Map.of("LC_ALL", "C"), "repo", "backup", "--repo",
        repo.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(0, backup.exit(), backup.all());
    assertFalse(backup.all().contains("skipped"), backup.all());
    AgentProcess.Result restore = RepoCliIT.b247(dir, Map.of("LC_ALL", "C.UTF-8"), "repo", "restore", "--repo",
        repo.toString(), "--key-file", key.toString(), "--target", dir.resolve("out").toString());
    assertEquals(0, restore.exit(), restore.all());
    Path back = RepoCliIT.restored(dir.resolve("out"), src);
    AgentProcess.Result diff = AgentProcess.shell(30, "diff", "-r", "--no-dereference", src.toString(),
        back.toString());
    assertEquals(0, diff.exit(), "restored tree differs: " + diff.all());
    AgentProcess.Result names = AgentProcess.shell(30, "bash", "-c", "cd \"$1\" && cat $'a\\xffb' $'a\\xfeb' "
        + "$'caf\\xe9/x\\xc3' && [ \"$(readlink link)\" = $'t\\xff' ]", "_", back.toString());
    assertEquals(0, names.exit(), names.all());
    assertEquals("onetwothree", names.out());
  }
}
