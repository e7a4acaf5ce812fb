package au.com.backup247.agent.bandwidth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FakeTime;
import au.com.backup247.agent.repo.store.MemoryStore;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Throttling on a fake clock: no test depends on real time. */
class ThrottledStoreTest {
  private static final int KIB = 1024;
  private static final long RATE = 256 * KIB;
  private static final long BURST = 64 * KIB;

  private static void assertAbout(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= expected * 0.01 + 0.001, what + ": expected ≈" + expected + " s, got "
        + actual + " s");
  }

  @Test
  void uploadsAndDownloadsTakeBytesOverRate() {
    FakeTime time = new FakeTime(true);
    Bandwidth bw = new Bandwidth(RATE, BURST, time::nanoTime, time::sleep);
    MemoryStore memory = new MemoryStore();
    ThrottledStore s = new ThrottledStore(memory, bw);
    byte[] data = CountingBytes.of(KIB * KIB);
    s.put("blocks/a.bak", data);
    assertArrayEquals(data, memory.get("blocks/a.bak"));
    assertAbout((KIB * KIB - BURST) / (double) RATE, time.sleptSeconds(), "1 MiB up at 256 KiB/s, 64 KiB burst");

    time.reset();
    s.get("blocks/a.bak");
    assertAbout(KIB * KIB / (double) RATE, time.sleptSeconds(), "1 MiB down right after (bucket empty)");
    time.reset();
    assertArrayEquals(Arrays.copyOfRange(data, 10, 10 + 128 * KIB), s.get("blocks/a.bak", 10, 128 * KIB));
    assertAbout(0.5, time.sleptSeconds(), "128 KiB range");
    time.reset();
    s.put("blocks/b.bak", new ByteArrayInputStream(data), 512 * KIB);
    assertAbout(2.0, time.sleptSeconds(), "512 KiB streamed");
    s.list("");
    s.stat("blocks/a.bak");
    s.delete("blocks/b.bak");
    assertAbout(2.0, time.sleptSeconds(), "list, stat and delete are free");
  }

  @Test
  void pausesRefillTheBucketOnlyUpToTheBurst() {
    FakeTime time = new FakeTime(true);
    Bandwidth bw = new Bandwidth(RATE, BURST, time::nanoTime, time::sleep);
    ThrottledStore s = new ThrottledStore(new MemoryStore(), bw);
    s.put("a", new byte[(int) BURST]);
    assertEquals(0, time.sleeps.size(), "a burst passes at once");
    time.sleep(java.time.Duration.ofSeconds(100)); // idle for long
    time.reset();
    s.put("b", new byte[(int) (BURST + RATE)]);
    assertAbout(1.0, time.sleptSeconds(), "idle time does not save more than one burst");
  }

  @Test
  void aSharedLimitCapsTheSumOfStores() {
    FakeTime time = new FakeTime(false); // both transfers start at the same instant
    Bandwidth shared = new Bandwidth(RATE, BURST, time::nanoTime, time::sleep);
    ThrottledStore a = new ThrottledStore(new MemoryStore("memory:a"), shared);
    ThrottledStore b = new ThrottledStore(new MemoryStore("memory:b"), shared);
    a.put("x", new byte[512 * KIB]);
    double aDone = time.longestSleepSeconds();
    time.reset();
    b.put("x", new byte[512 * KIB]);
    double bDone = time.longestSleepSeconds();
    assertAbout((512 * KIB - BURST) / (double) RATE, aDone, "first store");
    assertAbout((1024 * KIB - BURST) / (double) RATE, bDone, "second store waits for the first: sum ≤ rate");
  }

  @Test
  void independentLimitsDoNotSlowEachOther() {
    FakeTime time = new FakeTime(false);
    ThrottledStore a = new ThrottledStore(new MemoryStore("memory:a"),
        new Bandwidth(RATE, BURST, time::nanoTime, time::sleep));
    ThrottledStore b = new ThrottledStore(new MemoryStore("memory:b"),
        new Bandwidth(RATE, BURST, time::nanoTime, time::sleep));
    a.put("x", new byte[512 * KIB]);
    double aDone = time.longestSleepSeconds();
    time.reset();
    b.put("x", new byte[512 * KIB]);
    double bDone = time.longestSleepSeconds();
    assertAbout((512 * KIB - BURST) / (double) RATE, aDone, "first store");
    assertAbout((512 * KIB - BURST) / (double) RATE, bDone, "second store has its own bucket");
  }

  @Test
  void directionsCanBeLimitedSeparately() {
    FakeTime time = new FakeTime(true);
    Bandwidth up = new Bandwidth(RATE, BURST, time::nanoTime, time::sleep);
    ThrottledStore s = new ThrottledStore(new MemoryStore(), up, null);
    s.put("x", new byte[(int) (BURST + RATE)]);
    assertAbout(1.0, time.sleptSeconds(), "upload limited");
    time.reset();
    s.get("x");
    assertEquals(0, time.sleeps.size(), "download unlimited");
  }

  @Test
  void anInterruptedWaitIsAPermanentError() {
    Bandwidth bw = new Bandwidth(1, 1, System::nanoTime, d -> {
      throw new InterruptedException();
    });
    ThrottledStore s = new ThrottledStore(new MemoryStore(), bw);
    try {
      StoreException e = assertThrows(StoreException.class, () -> s.put("x", new byte[10]));
      assertTrue(!e.isTransient() && Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  /** Distinct bytes, so a mix-up of chunks would show. */
  static final class CountingBytes {
    static byte[] of(int n) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = (byte) (i * 31 + (i >> 8));
      }
      return b;
    }
  }
}
