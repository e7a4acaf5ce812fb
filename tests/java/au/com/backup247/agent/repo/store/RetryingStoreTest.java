package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryingStoreTest {
  private final MemoryStore memory = new MemoryStore("memory:retry-test");
  private final FaultyStore faulty = new FaultyStore(memory, 7);
  private final FakeTime time = new FakeTime(true);
  private final RetryingStore.Policy policy = new RetryingStore.Policy(5, Duration.ofMillis(100),
      Duration.ofSeconds(1), Duration.ofMinutes(1));

  private RetryingStore retrying(RetryingStore.Policy p, double jitter) {
    return new RetryingStore(faulty, p, time::sleep, () -> jitter, time::nanoTime);
  }

  @Test
  void transientErrorsAreRetriedUntilTheOperationSucceeds() {
    RetryingStore s = retrying(policy, 0.5);
    faulty.script(Op.PUT, Fault.transientError(), Fault.transientError());
    s.put("blocks/a.bak", new byte[] {1, 2});
    assertArrayEquals(new byte[] {1, 2}, memory.get("blocks/a.bak"));
    assertEquals(2, faulty.injected(Op.PUT));
    assertEquals(2, time.sleeps.size());
    assertEquals(Duration.ofMillis(50), time.sleeps.get(0), "half of the first cap (100 ms)");
    assertEquals(Duration.ofMillis(100), time.sleeps.get(1), "half of the second cap (200 ms)");

    faulty.script(Op.GET, Fault.transientError());
    faulty.script(Op.LIST, Fault.transientError());
    faulty.script(Op.STAT, Fault.transientError(), Fault.transientError());
    faulty.script(Op.DELETE, Fault.lostResponse());
    assertArrayEquals(new byte[] {2}, s.get("blocks/a.bak", 1, 1));
    assertEquals(1, s.list("blocks/").size());
    assertTrue(s.exists("blocks/a.bak"));
    s.delete("blocks/a.bak"); // done, answer lost, repeated: a missing object is fine
    assertFalse(memory.exists("blocks/a.bak"));
    assertEquals(7, faulty.injected());
  }

  @Test
  void aLostPutResponseIsRepeatedSafely() {
    RetryingStore s = retrying(policy, 0);
    faulty.script(Op.PUT, Fault.lostResponse(), Fault.dropAfter(3));
    s.put("blocks/b.bak", new byte[] {1, 2, 3, 4, 5});
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, memory.get("blocks/b.bak"));
    assertEquals(2, faulty.injected(Op.PUT));
  }

  @Test
  void permanentErrorsSurfaceAtOnceUnchanged() {
    RetryingStore s = retrying(policy, 0.5);
    faulty.script(Op.PUT, Fault.permanentError());
    StoreException e = assertThrows(StoreException.class, () -> s.put("blocks/c.bak", new byte[1]));
    assertFalse(e.isTransient());
    assertEquals(0, time.sleeps.size());
    assertEquals(1, faulty.injected(Op.PUT));

    NoSuchObjectException missing = new NoSuchObjectException("x does not exist in test");
    RetryingStore direct = new RetryingStore(new ForwardingStore(new MemoryStore()) {
      @Override
      public byte[] get(String path) {
        throw missing;
      }
    }, policy, time::sleep, () -> 0.5, time::nanoTime);
    assertSame(missing, assertThrows(NoSuchObjectException.class, () -> direct.get("x")));
    assertThrows(StoreException.class, () -> s.put("../escape", new byte[1]));
    assertEquals(0, time.sleeps.size(), "nothing permanent is retried");
  }

  @Test
  void attemptsAreBoundedAndTheMessageSaysWhatFailed() {
    RetryingStore s = retrying(policy, 0.999);
    faulty.rule(Op.GET, 1.0, Fault.transientError());
    memory.put("blocks/d.bak", new byte[] {1});
    StoreException e = assertThrows(StoreException.class, () -> s.get("blocks/d.bak"));
    assertTrue(e.isTransient(), "still transient: a later run may succeed");
    assertEquals(5, faulty.injected(Op.GET), "maxAttempts");
    assertEquals(4, time.sleeps.size());
    String m = e.getMessage();
    assertTrue(m.contains("get") && m.contains("blocks/d.bak") && m.contains("memory:retry-test")
        && m.contains("after 5 attempts"), m);
    assertTrue(e.getCause() instanceof StoreException);
  }

  @Test
  void elapsedTimeIsBounded() {
    RetryingStore.Policy p = new RetryingStore.Policy(100, Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofSeconds(20));
    RetryingStore s = retrying(p, 0.999);
    faulty.rule(Op.PUT, 1.0, Fault.transientError());
    StoreException e = assertThrows(StoreException.class, () -> s.put("blocks/e.bak", new byte[1]));
    assertTrue(time.sleptSeconds() <= 20, "slept " + time.sleptSeconds());
    // waits ≈ 1, 2, 4, 8 s (15 s); the next (10 s) would pass 20 s
    assertEquals(4, time.sleeps.size(), time.sleeps.toString());
    assertTrue(e.getMessage().contains("after 5 attempts"), e.getMessage());
  }

  @Test
  void jitterIsFullAndWithinTheExponentialCap() {
    RetryingStore.Policy p = new RetryingStore.Policy(10, Duration.ofMillis(100), Duration.ofMillis(1000),
        Duration.ofMinutes(5));
    RetryingStore zero = retrying(p, 0);
    assertEquals(Duration.ZERO, zero.delay(3), "full jitter starts at zero");
    long[] caps = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int n = 1; n <= caps.length; n++) {
      assertEquals(Duration.ofMillis(caps[n - 1]), zero.cap(n), "cap of retry " + n);
    }
    assertEquals(Duration.ofMillis(1000), zero.cap(70), "no overflow for many retries");
    Random r = new Random(3);
    RetryingStore random = new RetryingStore(faulty, p, time::sleep, r::nextDouble, time::nanoTime);
    for (int n = 1; n <= 8; n++) {
      long cap = random.cap(n).toNanos();
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = random.delay(n).toNanos();
        assertTrue(d >= 0 && d < cap, "delay " + d + " outside [0, " + cap + ")");
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      assertTrue(min < cap / 10 && max > cap * 9 / 10, "jitter spreads over the whole range: " + min + ".." + max);
    }
  }

  @Test
  void streamedPutsAreRepeatedOnlyWhenTheStreamCanRewind() {
    RetryingStore s = retrying(policy, 0.1);
    faulty.script(Op.PUT, Fault.dropAfter(2));
    s.put("blocks/f.bak", new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), 4);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, memory.get("blocks/f.bak"));

    faulty.script(Op.PUT, Fault.dropAfter(2));
    FilterInputStream oneShot = new FilterInputStream(new ByteArrayInputStream(new byte[] {5, 6, 7})) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
    StoreException e = assertThrows(StoreException.class, () -> s.put("blocks/g.bak", oneShot, 3));
    assertTrue(e.isTransient());
    assertFalse(memory.exists("blocks/g.bak"));
  }

  @Test
  void anInterruptStopsRetrying() {
    RetryingStore s = new RetryingStore(faulty, policy, d -> {
      throw new InterruptedException();
    }, () -> 0.5, time::nanoTime);
    faulty.rule(Op.PUT, 1.0, Fault.transientError());
    try {
      StoreException e = assertThrows(StoreException.class, () -> s.put("blocks/h.bak", new byte[1]));
      assertFalse(e.isTransient(), "cancellation is not retried by outer layers");
      assertTrue(Thread.currentThread().isInterrupted());
      assertEquals(1, faulty.injected(Op.PUT));
    } finally {
      Thread.interrupted();
    }
  }
}
