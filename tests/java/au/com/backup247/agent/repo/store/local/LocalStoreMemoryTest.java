package au.com.backup247.agent.repo.store.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large put or get does not leave a direct buffer of its size cached on the thread. */
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

  @Test
  void largeGetsKeepNoDirectBufferOfTheirSize() {
    LocalStore store = new LocalStore(dir.resolve("repo"));
    store.put("blocks/big.bak", new byte[16 << 20]);
    long before = direct();
    assertEquals(16 << 20, store.get("blocks/big.bak").length);
    assertEquals(12 << 20, store.get("blocks/big.bak", 1 << 20, 12 << 20).length);
    long kept = direct() - before;
    assertTrue(kept < 4 << 20, "a 16 MiB get and a 12 MiB range left " + kept + " bytes of direct buffers");
  }

  private static long direct() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }
}
