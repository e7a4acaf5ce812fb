package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TEST-MATRIX R9 against Debian's vsftpd whose user folder is a 1 MiB tmpfs (the server's disk or
 * the account's quota is full): the upload fails with an error that names the destination and
 * says "no space", is not retried as if the network had failed, leaves no partial object under a
 * final name, and objects stored before remain readable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Disabled("known gap (issue 11, R9), for the destinations work: vsftpd closes the data connection when "
    + "its disk is full, FtpStore reads the broken pipe as a dropped connection (transient, retried 6 times) and never "
    + "reads the 451/552 reply that says why; enable once the reply after a failed transfer is read")
class FtpFullDiskTest {

  @Test
  void aFullServerDisk_isNoSpace_namingTheDestination_andNotRetried() throws Exception {
    Path dir = SystemUser.openTempFolder("b247-ftpfull");
    Path disk = null;
    try (DebianFtpServers.Server server = DebianFtpServers.vsftpd(dir)) {
      disk = server.user().ownFolder(dir, "disk");
      Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700,uid=" + server.user().uid(),
          "tmpfs", disk.toString()).redirectErrorStream(true).start();
      String out = new String(mount.getInputStream().readAllBytes());
      if (mount.waitFor() != 0) {
        assertFalse("true".equals(System.getenv("CI")), "cannot mount a small tmpfs in CI: " + out);
        Assumptions.abort("cannot mount a small tmpfs here (needs root): " + out);
      }
      try (FtpStore ftp = new FtpStore(server.config(disk.toString()))) {
        byte[] small = new byte[10_000];
        ftp.put("config", small);
        int[] attempts = {0};
        Store counted = new ForwardingStore(ftp) {
          @Override
          public void put(String path, byte[] data) {
            attempts[0]++;
            super.put(path, data);
          }
        };
        RetryingStore retrying = new RetryingStore(counted);
        StoreException e = assertThrows(StoreException.class, () -> retrying.put("blocks/j/big.bak",
            new byte[2 << 20]));
        assertFalse(e.isTransient(), e.getMessage());
        assertTrue(e.getMessage().contains("no space"), e.getMessage() + "\n" + server.logText());
        assertTrue(e.getMessage().contains(ftp.name()) || e.getMessage().contains("blocks/j/big.bak"), e.getMessage());
        assertEquals(1, attempts[0], "a full disk is not retried");
        assertFalse(ftp.exists("blocks/j/big.bak"), "no partial object under its final name");
        assertArrayEquals(small, ftp.get("config"));
      }
    } finally {
      if (disk != null) {
        new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
      }
      SystemUser.deleteQuietly(dir);
    }
  }
}
