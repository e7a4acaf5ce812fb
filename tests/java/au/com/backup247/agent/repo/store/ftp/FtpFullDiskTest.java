package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.DebianFtpServers;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TEST-MATRIX R9: an FTP server with no room for an upload, against Debian's servers
 * ({@link DebianFtpServers}): vsftpd and pure-ftpd serving a 1 MiB tmpfs (the server's disk is
 * full: both close the data connection and answer 451, so the client sees a broken pipe or a
 * reset), and pure-ftpd enforcing a 1 MB quota on a virtual account (552 after the whole transfer).
 * The upload fails at once, with a permanent error that names the destination and the path and says
 * "no space left on the server": one attempt, no backoff. Nothing is left under the final name, the
 * temporary upload is removed, the objects stored before are intact, and a small upload then
 * succeeds on the same store (the control connection stayed in step). The tmpfs needs root, as CI
 * runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FtpFullDiskTest {
  private static final String BIG = "blocks/j/big.bak";

  private interface Start {
    DebianFtpServers.Server in(Path etc) throws Exception;
  }

  @Test
  void vsftpdWithAFullDisk_isNoSpaceLeft_permanentAtOnce_andLeavesNothingBehind() throws Exception {
    onAFullDisk(DebianFtpServers::vsftpd);
  }

  @Test
  void pureFtpdWithAFullDisk_isNoSpaceLeft_permanentAtOnce_andLeavesNothingBehind() throws Exception {
    onAFullDisk(DebianFtpServers::pureFtpd);
  }

  @Test
  void pureFtpdOverItsQuota_isNoSpaceLeft_permanentAtOnce_andLeavesNothingBehind() throws Exception {
    Path dir = SystemUser.openTempFolder("b247-ftpquota");
    try {
      Path home = SystemUser.get().ownFolder(dir, "home");
      try (DebianFtpServers.Server server = DebianFtpServers.pureFtpdWithQuota(dir, home, 1);
          FtpStore ftp = new FtpStore(server.config(DebianFtpServers.QUOTA_USER, "/"))) {
        failsOnceWithNoSpace(ftp, home, server);
      }
    } finally {
      SystemUser.deleteQuietly(dir);
    }
  }

  private static void onAFullDisk(Start start) throws Exception {
    Path dir = SystemUser.openTempFolder("b247-ftpfull");
    Path disk = null;
    try (DebianFtpServers.Server server = start.in(dir)) {
      disk = server.user().ownFolder(dir, "disk");
      Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700,uid=" + server.user().uid(),
          "tmpfs", disk.toString()).redirectErrorStream(true).start();
      String out = new String(mount.getInputStream().readAllBytes());
      if (mount.waitFor() != 0) {
        assertFalse("true".equals(System.getenv("CI")), "cannot mount a small tmpfs in CI: " + out);
        Assumptions.abort("cannot mount a small tmpfs here (needs root): " + out);
      }
      try (FtpStore ftp = new FtpStore(server.config(disk.toString()))) {
        failsOnceWithNoSpace(ftp, disk, server);
      }
    } finally {
      if (disk != null) {
        new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
      }
      SystemUser.deleteQuietly(dir);
    }
  }

  /** Stores two objects, then 2 MiB that cannot fit, through the retrying store as a backup does. */
  private static void failsOnceWithNoSpace(FtpStore ftp, Path folder, DebianFtpServers.Server server) throws Exception {
    byte[] config = bytes(10_000, 1);
    byte[] earlier = bytes(100_000, 2);
    ftp.put("config", config);
    ftp.put("blocks/j/a.bak", earlier);
    int[] attempts = {0};
    Store counted = new ForwardingStore(ftp) {
      @Override
      public void put(String path, byte[] data) {
        attempts[0]++;
        super.put(path, data);
      }
    };
    List<Duration> waits = new ArrayList<>();
    RetryingStore retrying = new RetryingStore(counted, RetryingStore.Policy.DEFAULT, waits::add, () -> 0.5,
        System::nanoTime);

    StoreException e = assertThrows(StoreException.class, () -> retrying.put(BIG, bytes(2 << 20, 3)));

    String why = e.getMessage() + "\n" + server.name() + " log:\n" + server.logText();
    assertFalse(e.isTransient(), why);
    assertTrue(e.getMessage().contains("no space left on the server"), why);
    assertTrue(e.getMessage().contains("cannot put " + BIG + " on " + ftp.name()), why);
    assertEquals(1, attempts[0], "no space is not retried: " + why);
    assertEquals(List.of(), waits, "no backoff: " + why);
    assertFalse(ftp.exists(BIG), "no partial object under its final name");
    try (var files = Files.walk(folder)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(Store.TEMP_MARKER)).toList(),
          "the temporary upload was removed");
    }
    assertArrayEquals(config, ftp.get("config"));
    assertArrayEquals(earlier, ftp.get("blocks/j/a.bak"));
    byte[] small = bytes(1000, 4);
    ftp.put("blocks/j/b.bak", small);
    assertArrayEquals(small, ftp.get("blocks/j/b.bak"));
    assertEquals(List.of("blocks/j/a.bak", "blocks/j/b.bak"),
        ftp.list("blocks/").stream().map(Store.StoredObject::path).toList());
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
