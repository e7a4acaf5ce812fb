package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConcurrentlyTest {

  @Test
  void map_runsEveryItemAtOnce_resultsInTheItemsOrder() {
    CyclicBarrier all = new CyclicBarrier(4); // one after the other, the first would wait alone
    List<String> out = Concurrently.map("test", List.of(3, 1, 4, 2), i -> {
      try {
        all.await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("the items did not run at once", e);
      }
      return "item " + i;
    });
    assertEquals(List.of("item 3", "item 1", "item 4", "item 2"), out);
  }

  @Test
  void oneItem_runsOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    assertEquals(Collections.singletonList(null), Concurrently.map("test", List.of(1), i -> {
      assertSame(caller, Thread.currentThread());
      return null;
    }));
  }

  @Test
  void aFailure_isThrownOnceEveryItemEnded_theFirstInOrder_othersSuppressed() {
    CountDownLatch twoFailed = new CountDownLatch(1);
    List<Integer> ended = Collections.synchronizedList(new ArrayList<>());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Concurrently.forEach("test",
        List.of(0, 1, 2), i -> {
          if (i == 0) {
            await(twoFailed); // fails last in time, first in order
            ended.add(i);
            throw new IllegalStateException("item 0 failed");
          }
          ended.add(i);
          if (i == 2) {
            twoFailed.countDown();
            throw new IllegalArgumentException("item 2 failed");
          }
        }));
    assertEquals("item 0 failed", e.getMessage());
    assertEquals(List.of("item 2 failed"), Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).toList());
    assertEquals(List.of(0, 1, 2), ended.stream().sorted().toList(), "every item ran to its end first");
  }

  @Test
  void anInterrupt_waitsForTheItems_andKeepsTheFlag() {
    Thread caller = Thread.currentThread();
    CountDownLatch interrupted = new CountDownLatch(1);
    List<Integer> ended = Collections.synchronizedList(new ArrayList<>());
    Concurrently.forEach("test", List.of(0, 1), i -> {
      if (i == 0) {
        caller.interrupt();
        interrupted.countDown();
      } else {
        await(interrupted); // still running when the caller is interrupted
      }
      ended.add(i);
    });
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertEquals(2, ended.size());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
