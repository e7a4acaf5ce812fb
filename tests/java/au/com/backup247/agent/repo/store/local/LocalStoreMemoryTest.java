package au.com.backup247.agent.repo.store.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large put does not leave a direct buffer of its size cached on the writing thread. */
class LocalStoreMemoryTest {
  @TempDir
  Path dir;

  @Test
  void largePutKeepsNoDirectBufferOfItsSize() {
    LocalStore store = new LocalStore(dir.resolve("repo"));
    long before = direct();
    store.put("blocks/big.bak", new byte[16 << 20]);
    long kept = direct() - before;
    assertTrue(kept < 4 << 20, "a 16 MiB put left " + kept + " bytes of direct buffers");
  }

  private static long direct() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }
}
