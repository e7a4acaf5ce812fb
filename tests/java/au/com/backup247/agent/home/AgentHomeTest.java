package au.com.backup247.agent.home;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.config.AgentConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent home is owner-only, and an agent refuses a home that others may read. */
class AgentHomeTest {

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static void chmod(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private static AgentHome fresh(Path dir) throws Exception {
    AgentHome home = new AgentHome(dir.resolve("home")).ensure();
    AgentConfig.loadOrCreate(home.configFile());
    PrivateFiles.createFile(home.root().resolve("catalog.db"));
    return home;
  }

  @Test
  void ensure_createsTheHomeAndItsFoldersOwnerOnly(@TempDir Path dir) throws Exception {
    AgentHome home = new AgentHome(dir.resolve("a/b/home")).ensure();
    for (Path p : new Path[] {home.root(), home.configDir(), home.logsDir(), home.tempDir(), home.runDir()}) {
      assertEquals("rwx------", mode(p), p.toString());
    }
    AgentConfig.loadOrCreate(home.configFile());
    assertEquals("rw-------", mode(home.configFile()));
  }

  @Test
  void aFreshHome_isPrivate(@TempDir Path dir) throws Exception {
    AgentHome home = fresh(dir);
    PrivateFiles.write(home.keysDir().resolve("1.key"), "k\n".getBytes(StandardCharsets.UTF_8));
    PrivateFiles.write(home.credentialsDir().resolve("1/x.properties"), "password=p\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("rwx------", mode(home.credentialsDir().resolve("1")));
    assertDoesNotThrow(() -> home.requirePrivate(home.root().resolve("catalog.db")));
  }

  @Test
  void aHomeOthersMayRead_isRefused_namingItAndTheChmod(@TempDir Path dir) throws Exception {
    AgentHome home = fresh(dir);
    chmod(home.root(), "rwxr-xr-x");
    AgentException e = assertThrows(AgentException.class,
        () -> home.requirePrivate(home.root().resolve("catalog.db")));
    assertEquals(Failure.CONFIG_INVALID, e.failure()); // exit code 5
    assertEquals("agent home " + home.root() + " is readable or writable by group or others (mode rwxr-xr-x); "
        + "run: chmod 700 " + home.root(), e.getMessage());
    chmod(home.root(), "rwx------");
    assertDoesNotThrow(() -> home.requirePrivate(home.root().resolve("catalog.db")));
  }

  @Test
  void openSecretFiles_areRefused_eachNamed(@TempDir Path dir) throws Exception {
    AgentHome home = fresh(dir);
    Path catalog = home.root().resolve("catalog.db");
    Path deletedKey = home.keysDir().resolve("deleted/7-1.key");
    PrivateFiles.write(deletedKey, "k\n".getBytes(StandardCharsets.UTF_8));
    Path wal = PrivateFiles.createFile(home.root().resolve("catalog.db-wal"));
    Path creds = home.credentialsDir().resolve("7/a.properties");
    PrivateFiles.write(creds, "password=p\n".getBytes(StandardCharsets.UTF_8));
    assertDoesNotThrow(() -> home.requirePrivate(catalog));
    for (Path p : new Path[] {home.configFile(), deletedKey, wal, creds, catalog}) {
      chmod(p, "rw-r--r--");
      AgentException e = assertThrows(AgentException.class, () -> home.requirePrivate(catalog), p.toString());
      assertEquals(p + " is readable or writable by group or others (mode rw-r--r--); run: chmod 600 " + p,
          e.getMessage());
      chmod(p, "rw-------");
    }
    chmod(home.credentialsDir(), "rwxrwxrwx");
    AgentException dirOpen = assertThrows(AgentException.class, () -> home.requirePrivate(catalog));
    assertTrue(dirOpen.getMessage().endsWith("run: chmod 700 " + home.credentialsDir()), dirOpen.getMessage());
  }

  @Test
  void severalOpenPaths_nameTheFirst_andTheRecursiveFix(@TempDir Path dir) throws Exception {
    AgentHome home = fresh(dir);
    chmod(home.root(), "rwxr-x---");
    chmod(home.configFile(), "rw-rw-rw-");
    AgentException e = assertThrows(AgentException.class,
        () -> home.requirePrivate(home.root().resolve("catalog.db")));
    assertTrue(e.getMessage().startsWith("agent home " + home.root() + " is readable"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(and 1 more path; chmod -R go= " + home.root() + " fixes them all)"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void privateWrite_replacesAFileOthersCouldRead_withA0600One(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("token"), "old");
    chmod(f, "rw-r--r--");
    PrivateFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
    assertEquals("rw-------", mode(f));
    assertEquals("new", Files.readString(f));
    assertFalse(PrivateFiles.writeNew(f, "other".getBytes(StandardCharsets.UTF_8)));
    assertEquals("new", Files.readString(f));
  }
}
