package au.com.backup247.agent.repo.store.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import au.com.backup247.agent.repo.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStore} passes the destination contract on a local folder. */
class LocalStoreContractTest extends StoreContract {
  @TempDir
  Path dir;

  @Override
  protected Store createStore() {
    return new LocalStore(dir.resolve("repo"));
  }

  @Override
  protected Path backingFolder() {
    return dir.resolve("repo");
  }

  @Test
  void aFolderSyncThatFails_isAnError_notSwallowed() throws Exception {
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> LocalStore.fsyncDir(dir.resolve("gone")));
    assertTrue(e.getMessage().contains("cannot sync folder " + dir.resolve("gone")), e.getMessage());
    // a file system that cannot sync folders at all answers EINVAL (procfs does): that is no error
    LocalStore.fsyncDir(Path.of("/proc"));
  }

  @Test
  void aFileWhereAFolderBelongs_isNamed_andNotTakenForAnExistingLock() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("locks"), "not a folder");
    StoreException lock = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
        () -> ((LocalStore) store).createExclusive("locks/a.lock", bytes(10, 1)));
    assertTrue(lock.getMessage().contains("locks is a file, not a folder"), lock.getMessage());
    assertFalse(lock.isTransient());
    StoreException put = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
        () -> store.put("locks/b.lock", bytes(10, 1)));
    assertTrue(put.getMessage().contains("locks is a file, not a folder"), put.getMessage());
  }

  @Test
  void aDroppedUploadRemovesItsTempFile() throws Exception {
    FaultyStore faulty = new FaultyStore(store, 1).script(FaultyStore.Op.PUT, FaultyStore.Fault.dropAfter(10));
    StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
        () -> faulty.put("blocks/x.bak", bytes(100_000, 1)));
    assertTrue(e.isTransient());
    try (Stream<Path> s = Files.walk(dir)) {
      assertEquals(0, s.filter(p -> p.getFileName().toString().contains(Store.TEMP_MARKER)).count(),
          "temp file left behind");
    }
    assertFalse(Files.exists(dir.resolve("repo/blocks/x.bak")));
  }
}
