package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cutting, ordering, concurrency bound and commit-or-abort of {@link PartUpload}; S3 and Azure run it for real. */
class PartUploadTest {
  private final List<String> prepared = new ArrayList<>();
  private final PartUpload upload = new PartUpload("test-part", 3, new PartUpload.Sizes(500, 100, 10_000, 1_000),
      prepared::add);
  private final Store store = new MemoryStore("mem");

  @AfterEach
  void close() {
    upload.close();
  }

  /** Records the parts (copies: a streamed upload reuses its buffer) and what happened. */
  private static final class Recorder implements PartUpload.Parts<Integer> {
    final ConcurrentSkipListMap<Integer, byte[]> parts = new ConcurrentSkipListMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final int failAt;
    List<Integer> committed;
    int aborts;

    Recorder(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public Integer part(int index, byte[] buf, int off, int n) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (index == failAt) {
          throw StoreException.transientError("part " + index + " failed", null);
        }
        parts.put(index, Arrays.copyOfRange(buf, off, off + n));
        return index * 10;
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public void commit(List<Integer> receipts) {
      committed = receipts;
    }

    @Override
    public void abort() {
      aborts++;
    }

    byte[] joined() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      parts.values().forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  @Test
  void anArrayIsCutIntoPartsOfTheSize_sentAtMostConcurrencyAtOnce_andCommittedInOrder() {
    byte[] data = StoreContract.bytes(1_000, 1);
    Recorder r = new Recorder(-1);
    upload.upload(store, "blocks/a", data, 950, 100, r);
    assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90), r.committed);
    assertEquals(50, r.parts.get(9).length, "the last part is shorter");
    assertArrayEquals(Arrays.copyOf(data, 950), r.joined());
    assertTrue(r.mostAtOnce.get() <= 3, "at most 3 at once: " + r.mostAtOnce);
    assertEquals(0, r.aborts);
  }

  @Test
  void aStreamIsSentOnePartAfterTheOther() {
    byte[] data = StoreContract.bytes(1_000, 2);
    Recorder r = new Recorder(-1);
    upload.upload(store, "blocks/s", new UploadSource(new ByteArrayInputStream(data), 1_000), 300, r);
    assertEquals(List.of(0, 10, 20, 30), r.committed);
    assertArrayEquals(data, r.joined());
    assertEquals(1, r.mostAtOnce.get());
  }

  @Test
  void aFailedPartAbortsInsteadOfCommitting() {
    Recorder r = new Recorder(4);
    StoreException e = assertThrows(StoreException.class,
        () -> upload.upload(store, "blocks/f", new byte[1_000], 1_000, 100, r));
    assertEquals("part 4 failed", e.getMessage());
    assertSame(null, r.committed);
    assertEquals(1, r.aborts);
    assertFalse(r.parts.containsKey(4));
  }

  @Test
  void aFailingSourceIsTransientAndAborts() {
    Recorder r = new Recorder(-1);
    StoreException e = assertThrows(StoreException.class, () -> upload.upload(store, "blocks/g",
        new UploadSource(new ByteArrayInputStream(new byte[250]), 1_000), 100, r));
    assertTrue(e.isTransient(), e.getMessage());
    assertEquals("cannot put blocks/g on mem: upload failed after 250 of 1000 bytes: source ended early", e.getMessage());
    assertEquals(1, r.aborts);
    assertSame(null, r.committed);
    assertEquals(new ArrayList<>(List.of(0, 1)), new ArrayList<>(r.parts.keySet()));
  }

  @Test
  void belowTheThresholdOneRequest_fromItOnParts() {
    List<Integer> whole = new ArrayList<>();
    Recorder r = new Recorder(-1);
    PartUpload.Requests<Integer> requests = new PartUpload.Requests<>() {
      @Override
      public void whole(byte[] data, int length) {
        whole.add(length);
      }

      @Override
      public PartUpload.Parts<Integer> start() {
        return r;
      }
    };
    upload.put(store, "a", new byte[499], 499, requests);
    upload.put(store, "b", new ByteArrayInputStream(new byte[499]), 499, requests);
    assertEquals(List.of(499, 499), whole);
    assertSame(null, r.committed, "no parts below the threshold");
    upload.put(store, "c", new ByteArrayInputStream(new byte[500]), 500, requests);
    assertEquals(List.of(0, 10, 20, 30, 40), r.committed, "from the threshold on");
  }

  @Test
  void theStoreIsPreparedBeforeItsFirstPutOnly_andAgainAfterPreparingFailed() {
    List<String> whole = new ArrayList<>();
    PartUpload.Requests<Integer> requests = new PartUpload.Requests<>() {
      @Override
      public void whole(byte[] data, int length) {
        whole.add(new String(data, 0, length));
      }

      @Override
      public PartUpload.Parts<Integer> start() {
        throw new AssertionError("no parts below the threshold");
      }
    };
    int[] failures = {1};
    try (PartUpload failingOnce = new PartUpload("test-part", 1, new PartUpload.Sizes(500, 100, 10_000, 1_000),
        path -> {
          prepared.add(path);
          if (failures[0]-- > 0) {
            throw StoreException.transientError("cannot create the bucket for " + path, null);
          }
        })) {
      assertThrows(StoreException.class, () -> failingOnce.put(store, "../x", new byte[1], 1, requests),
          "a bad path is refused before anything is prepared");
      assertEquals(List.of(), prepared);
      StoreException e = assertThrows(StoreException.class, () -> failingOnce.put(store, "a", "A".getBytes(), 1,
          requests));
      assertEquals("cannot create the bucket for a", e.getMessage());
      failingOnce.put(store, "b", new ByteArrayInputStream("B".getBytes()), 1, requests);
      failingOnce.put(store, "c", "C".getBytes(), 1, requests);
      assertEquals(List.of("a", "b"), prepared, "prepared again after the failure, then never again");
      assertEquals(List.of("B", "C"), whole, "nothing sent while preparing failed");
    }
  }

  @Test
  void thePartSizeGrowsToStayWithinTheMostParts() {
    assertEquals(8, PartUpload.partSize(8, 100, 50, 1_000));
    assertEquals(11, PartUpload.partSize(8, 1_001, 100, 1_000));
    assertEquals(20, PartUpload.partSize(8, 1_000_000, 100, 20), "never above the largest part");
  }
}
