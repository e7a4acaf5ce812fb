package au.com.backup247.agent.testing;

import static au.com.backup247.agent.testing.Eventually.assertStill;
import static au.com.backup247.agent.testing.Eventually.eventually;
import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
  @Test
  void anAssertionThatPassesOnItsThirdTry_passes_andTheValueIsReturned() {
    AtomicInteger tries = new AtomicInteger();
    String v = eventuallyGet(Duration.ofSeconds(5), () -> {
      assertTrue(tries.incrementAndGet() >= 3, "try " + tries.get());
      return "seen";
    });
    assertEquals("seen", v);
    assertEquals(3, tries.get());
  }

  @Test
  void anAssertionThatNeverPasses_failsAfterTheTimeout_withItsLastMessage() {
    AtomicInteger tries = new AtomicInteger();
    long start = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> eventually(Duration.ofSeconds(1),
        () -> assertEquals(1, 2, "try " + tries.incrementAndGet())));
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    // not before the timeout; after it, within one pause (50 ms) and one try, with room for a busy machine
    assertTrue(ms >= 1_000 && ms < 10_000, ms + " ms");
    assertTrue(e.getMessage().startsWith("not within 1000 ms: try " + tries.get()), e.getMessage());
    assertTrue(tries.get() > 2, "tried again: " + tries.get()); // the first two pauses take 15 ms of the second
  }

  @Test
  void anExceptionIsRetriedLikeAFailedAssertion() {
    AtomicInteger tries = new AtomicInteger();
    eventually(Duration.ofSeconds(5), () -> {
      if (tries.incrementAndGet() < 2) {
        throw new IOException("not yet");
      }
    });
    assertEquals(2, tries.get());
  }

  @Test
  void assertStill_endsTheWaitAtOnce() {
    AtomicInteger tries = new AtomicInteger();
    long start = System.nanoTime();
    Eventually.Hopeless e = assertThrows(Eventually.Hopeless.class, () -> eventually(Duration.ofSeconds(30), () -> {
      tries.incrementAndGet();
      assertStill(false, "the process ended");
    }));
    assertEquals("the process ended", e.getMessage());
    assertEquals(1, tries.get());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
  }

  @Test
  void theLastFailureIsTheCause() {
    IllegalStateException last = new IllegalStateException("boom");
    AssertionError e = assertThrows(AssertionError.class, () -> eventually(Duration.ZERO, () -> {
      throw last;
    }));
    assertSame(last, e.getCause());
  }
}
