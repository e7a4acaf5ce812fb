package au.com.backup247.agent.repo.store.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SftpStore} passes the destination contract against Debian's OpenSSH set up the common
 * secure way for a backup account: {@code Match User} with {@code ChrootDirectory} and
 * {@code ForceCommand internal-sftp}. The user ({@link SystemUser}, password login) sees the chroot
 * as {@code /}, which belongs to root as sshd requires, and writes below {@code /upload}; the store
 * is given paths as the user sees them. See {@link ChrootedSshd}.
 */
class SftpChrootContractTest extends StoreContract {
  static ChrootedSshd server;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startSshd() throws Exception {
    server = ChrootedSshd.start();
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Store createStore() throws Exception {
    String name = "t" + N.incrementAndGet();
    folder = server.user().ownFolder(server.chroot().resolve("upload"), name);
    return new SftpStore(server.config("/upload/" + name));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }

  @Override
  protected void planted(Path folder) throws Exception {
    server.user().giveAwayAll(folder);
  }

  @Test
  void pathsAreAsTheUserSeesThem_absoluteAndRelativeToTheLoginFolder() throws Exception {
    try (SftpStore absolute = new SftpStore(server.config("/upload/seen/repo"));
        SftpStore relative = new SftpStore(server.config("upload/seen/repo"))) {
      absolute.put("jobs/a.job", new byte[] {1, 2});
      assertArrayEquals(new byte[] {1, 2}, relative.get("jobs/a.job"), "the login folder is the chroot's /");
      assertTrue(Files.exists(server.chroot().resolve("upload/seen/repo/jobs/a.job")));
      assertEquals("posix-rename fsync", absolute.serverFeatures());
    }
  }
}
