package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The destination contract (see {@link Store}): every destination runs these tests through a
 * subclass that says how to make a fresh, empty store. Modelled on restic's
 * {@code internal/backend/test} and kopia's {@code blobtesting}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class StoreContract {
  protected Store store;

  /** A new, empty store; closed after each test. */
  protected abstract Store createStore() throws Exception;

  /**
   * The local folder that holds the store's objects, when there is one, so that tests can plant
   * stray temp files as a crash would leave them; null when the store has no such folder.
   */
  protected Path backingFolder() {
    return null;
  }

  /**
   * Called after a test planted files under {@link #backingFolder()} (as this process's user), for
   * servers that run as another user and must be able to remove them.
   */
  protected void planted(Path folder) throws Exception {
  }

  @BeforeEach
  void openStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  public static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static List<String> paths(List<StoredObject> objects) {
    return objects.stream().map(StoredObject::path).toList();
  }

  @Test
  void putThenGetReturnsTheSameBytes() {
    byte[] data = bytes(100_000, 1);
    store.put("blocks/a.bak", data);
    assertArrayEquals(data, store.get("blocks/a.bak"));
    store.put("config", new byte[0]);
    assertArrayEquals(new byte[0], store.get("config"), "empty object");
    assertTrue(store.exists("blocks/a.bak"));
    assertFalse(store.exists("blocks/b.bak"));
  }

  @Test
  void putWithLengthAndFromStreamStoreExactlyThoseBytes() {
    byte[] data = bytes(10_000, 2);
    store.put("x/part", data, 4_000);
    assertArrayEquals(Arrays.copyOf(data, 4_000), store.get("x/part"));
    store.put("x/stream", new ByteArrayInputStream(data), 7_000);
    assertArrayEquals(Arrays.copyOf(data, 7_000), store.get("x/stream"));
    assertEquals(List.of(new StoredObject("x/part", 4_000), new StoredObject("x/stream", 7_000)), store.list("x/"));
  }

  @Test
  void rangeGetReturnsExactlyTheRange() {
    byte[] data = bytes(50_000, 3);
    store.put("blocks/r.bak", data);
    assertArrayEquals(Arrays.copyOfRange(data, 0, 10), store.get("blocks/r.bak", 0, 10));
    assertArrayEquals(Arrays.copyOfRange(data, 12_345, 40_000), store.get("blocks/r.bak", 12_345, 27_655));
    assertArrayEquals(Arrays.copyOfRange(data, 49_999, 50_000), store.get("blocks/r.bak", 49_999, 1), "last byte");
    assertArrayEquals(data, store.get("blocks/r.bak", 0, 50_000), "whole object as a range");
    assertArrayEquals(new byte[0], store.get("blocks/r.bak", 50_000, 0), "empty range at the end");
  }

  @Test
  void aLargeRangeComesWholeAndInOrder() { // stores that split a range into many requests (SFTP pipelines them)
    byte[] data = bytes(1_300_001, 5);
    store.put("blocks/big.bak", data);
    assertArrayEquals(Arrays.copyOfRange(data, 77_777, 1_277_777), store.get("blocks/big.bak", 77_777, 1_200_000));
    assertArrayEquals(Arrays.copyOfRange(data, 1_000_000, 1_300_001), store.get("blocks/big.bak", 1_000_000, 300_001),
        "up to the last byte");
    StoreException e = assertThrows(StoreException.class, () -> store.get("blocks/big.bak", 1_200_000, 100_002));
    assertFalse(e.isTransient(), e.getMessage());
  }

  @Test
  void rangeBeyondTheEndIsAPermanentError() {
    store.put("blocks/short.bak", bytes(100, 4));
    StoreException e = assertThrows(StoreException.class, () -> store.get("blocks/short.bak", 90, 11));
    assertFalse(e instanceof NoSuchObjectException, "the object exists: " + e);
    assertFalse(e.isTransient(), e.getMessage());
    assertTrue(e.getMessage().contains("blocks/short.bak"), e.getMessage());
    StoreException far = assertThrows(StoreException.class, () -> store.get("blocks/short.bak", 1_000, 1));
    assertFalse(far.isTransient());
    StoreException negative = assertThrows(StoreException.class, () -> store.get("blocks/short.bak", -1, 1));
    assertFalse(negative.isTransient());
  }

  @Test
  void repeatingAPutIsHarmlessAndReplacingIsVisible() {
    byte[] data = bytes(30_000, 5);
    store.put("blocks/same.bak", data);
    store.put("blocks/same.bak", data);
    assertArrayEquals(data, store.get("blocks/same.bak"));
    assertEquals(List.of(new StoredObject("blocks/same.bak", 30_000)), store.list("blocks/"));

    assertArrayEquals(Arrays.copyOfRange(data, 100, 200), store.get("blocks/same.bak", 100, 100));
    byte[] other = bytes(20_000, 6);
    store.put("blocks/same.bak", other); // e.g. a lock refresh
    assertArrayEquals(other, store.get("blocks/same.bak"));
    assertArrayEquals(Arrays.copyOfRange(other, 100, 200), store.get("blocks/same.bak", 100, 100),
        "a range read after a replacing put must see the new object");
    assertEquals(Optional.of(new StoredObject("blocks/same.bak", 20_000)), store.stat("blocks/same.bak"));
  }

  @Test
  void concurrentPutsOfTheSameObjectAllSucceed() throws Exception {
    byte[] data = bytes(64_000, 7);
    runInThreads(8, t -> store.put("blocks/dedup.bak", data));
    assertArrayEquals(data, store.get("blocks/dedup.bak"));
    assertEquals(List.of("blocks/dedup.bak"), paths(store.list("")));
  }

  @Test
  void listGivesMatchingObjectsSortedWithSizes() {
    store.put("jobs/b.job", bytes(2, 8));
    store.put("blocks/2026/c.bak", bytes(3, 8));
    store.put("blocks/2026/a.bak", bytes(1, 8));
    store.put("blocks/2025/z.bak", bytes(26, 8));
    store.put("blocks-not/x", bytes(5, 8));
    store.put("config", bytes(7, 8));
    assertEquals(List.of(new StoredObject("blocks/2025/z.bak", 26), new StoredObject("blocks/2026/a.bak", 1),
        new StoredObject("blocks/2026/c.bak", 3)), store.list("blocks/"));
    assertEquals(List.of("blocks-not/x", "blocks/2025/z.bak", "blocks/2026/a.bak", "blocks/2026/c.bak"),
        paths(store.list("blocks")), "a prefix is a plain string prefix");
    assertEquals(List.of("blocks/2026/a.bak", "blocks/2026/c.bak"), paths(store.list("blocks/2026/")));
    assertEquals(List.of("blocks/2026/a.bak"), paths(store.list("blocks/2026/a")));
    assertEquals(List.of("blocks-not/x", "blocks/2025/z.bak", "blocks/2026/a.bak", "blocks/2026/c.bak", "config",
        "jobs/b.job"), paths(store.list("")), "the empty prefix lists everything");
    assertEquals(List.of("blocks", "blocks-not", "jobs"), store.folders(""), "the folders directly in the root");
    assertEquals(List.of("2025", "2026"), store.folders("blocks"));
    assertEquals(List.of(), store.folders("blocks/2026"), "a folder holding only objects");
    assertEquals(List.of(), store.folders("nothing"), "a missing folder");
  }

  @Test
  void listOfAnUnusedPrefixIsEmpty() {
    assertEquals(List.of(), store.list(""), "a new store is empty");
    assertEquals(List.of(), store.list("blocks/"));
    store.put("jobs/a.job", bytes(1, 9));
    assertEquals(List.of(), store.list("blocks/"));
    assertEquals(List.of(), store.list("jobs/a.job/"));
    assertEquals(List.of(), store.list("jobs/b"));
  }

  @Test
  void staleTemporaryUploadsAreRemoved_freshOnesAndObjectsKept() throws Exception {
    Path folder = backingFolder();
    store.put("blocks/j1/k.bak", bytes(10, 3));
    store.put("index/old.tmp.idx", bytes(4, 3)); // a final name that merely looks odd
    int none = store.removeTemporaryBefore(java.time.Instant.now());
    assertEquals(0, none, "no leftovers yet");
    if (folder == null) {
      return; // no way to leave a crashed upload behind
    }
    java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
    Path stale = folder.resolve("blocks/j1/k.bak" + Store.TEMP_MARKER + "0001");
    Path staleDeep = folder.resolve("blocks/j2/m.bak" + Store.TEMP_MARKER + "0002");
    Path fresh = folder.resolve("jobs/x.job" + Store.TEMP_MARKER + "0003");
    Path oldObject = folder.resolve("blocks/j1/k.bak");
    Files.createDirectories(staleDeep.getParent());
    Files.createDirectories(fresh.getParent());
    Files.write(stale, bytes(5, 1));
    Files.write(staleDeep, bytes(5, 2));
    Files.write(fresh, bytes(5, 3));
    Files.setLastModifiedTime(stale, twoDaysAgo);
    Files.setLastModifiedTime(staleDeep, twoDaysAgo);
    Files.setLastModifiedTime(oldObject, twoDaysAgo);
    planted(folder);
    int removed = store.removeTemporaryBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
    assertEquals(2, removed);
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(staleDeep));
    assertTrue(Files.exists(fresh), "a temporary upload younger than the grace period stays");
    assertEquals(List.of("blocks/j1/k.bak", "index/old.tmp.idx"), paths(store.list("")));
  }

  @Test
  void listNeverShowsTempFiles() throws Exception {
    store.put("blocks/k.bak", bytes(10, 10));
    Path folder = backingFolder();
    if (folder != null) {
      // what a crash in the middle of an upload leaves behind
      Files.write(folder.resolve("blocks/k.bak" + Store.TEMP_MARKER + "1234abcd"), bytes(5, 10));
      Files.createDirectories(folder.resolve("blocks/sub"));
      Files.write(folder.resolve("blocks/sub/m.bak" + Store.TEMP_MARKER + "ffff"), bytes(5, 10));
    }
    assertEquals(List.of(new StoredObject("blocks/k.bak", 10)), store.list("blocks/"));
    assertEquals(List.of("blocks/k.bak"), paths(store.list("")));
    assertThrows(StoreException.class, () -> store.get("blocks/k.bak" + Store.TEMP_MARKER + "1234abcd"),
        "temp names are not object paths");
  }

  @Test
  void statGivesTheSizeOrEmpty() {
    store.put("blocks/s/t.bak", bytes(1234, 11));
    assertEquals(Optional.of(new StoredObject("blocks/s/t.bak", 1234)), store.stat("blocks/s/t.bak"));
    assertEquals(Optional.empty(), store.stat("blocks/s/u.bak"));
    assertEquals(Optional.empty(), store.stat("blocks/s"), "a folder is not an object");
    assertEquals(Optional.empty(), store.stat("nothing/here"));
    assertFalse(store.exists("blocks/s"));
  }

  @Test
  void deleteRemovesTheObjectAndDeletingAMissingOneSucceeds() {
    store.put("locks/a.lock", bytes(10, 12));
    store.put("locks/b.lock", bytes(10, 12));
    store.delete("locks/a.lock");
    assertFalse(store.exists("locks/a.lock"));
    assertEquals(Optional.empty(), store.stat("locks/a.lock"));
    assertThrows(NoSuchObjectException.class, () -> store.get("locks/a.lock"));
    assertEquals(List.of("locks/b.lock"), paths(store.list("locks/")));
    store.delete("locks/a.lock");
    store.delete("never/was.here");
    store.put("locks/a.lock", bytes(3, 13));
    assertArrayEquals(bytes(3, 13), store.get("locks/a.lock"), "a deleted path can be written again");
  }

  @Test
  void getOfAMissingObjectIsNoSuchObject() {
    NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> store.get("blocks/missing.bak"));
    assertFalse(e.isTransient());
    assertTrue(e.getMessage().contains("blocks/missing.bak"), e.getMessage());
    assertThrows(NoSuchObjectException.class, () -> store.get("blocks/missing.bak", 0, 1));
    assertThrows(NoSuchObjectException.class, () -> store.get("no/such/folder/x"));
  }

  @Test
  void concurrentPutsOfDistinctObjectsFromEightThreads() throws Exception {
    int perThread = 25;
    runInThreads(8, t -> {
      for (int i = 0; i < perThread; i++) {
        store.put("blocks/" + t + "/" + i + ".bak", bytes(4096 + i, t * 1000L + i));
      }
    });
    List<StoredObject> all = store.list("blocks/");
    assertEquals(8 * perThread, all.size());
    List<String> sorted = new ArrayList<>(paths(all));
    sorted.sort(null);
    assertEquals(sorted, paths(all), "sorted by path");
    runInThreads(8, t -> {
      for (int i = 0; i < perThread; i++) {
        assertArrayEquals(bytes(4096 + i, t * 1000L + i), store.get("blocks/" + t + "/" + i + ".bak"));
      }
    });
  }

  @Test
  void largeObjectOf40MiB() {
    byte[] data = bytes(40 << 20, 14);
    store.put("blocks/large.bak", data);
    assertEquals(Optional.of(new StoredObject("blocks/large.bak", 40L << 20)), store.stat("blocks/large.bak"));
    assertArrayEquals(Arrays.copyOfRange(data, (40 << 20) - 1_000_000, 40 << 20),
        store.get("blocks/large.bak", (40 << 20) - 1_000_000, 1_000_000));
    assertArrayEquals(data, store.get("blocks/large.bak"));
  }

  @Test
  void deepSubfoldersAreCreatedAsNeeded() {
    String deep = "a/b/c/d/e/f/g/h.bin";
    store.put(deep, utf8("deep"));
    store.put("a/b/other", utf8("other"));
    assertArrayEquals(utf8("deep"), store.get(deep));
    assertEquals(List.of("a/b/c/d/e/f/g/h.bin", "a/b/other"), paths(store.list("a/")));
    assertEquals(List.of(deep), paths(store.list("a/b/c/d/")));
    assertEquals(List.of("a/b/c/d/e/f/g/h.bin", "a/b/other"), paths(store.list("a/b")));
    store.put("name with spaces/x-y_z+1=2,3@.bin", utf8("x"));
    assertArrayEquals(utf8("x"), store.get("name with spaces/x-y_z+1=2,3@.bin"));
  }

  @Test
  void invalidPathsAreRefusedByEveryOperation() {
    for (String bad : List.of("../x", "/abs", "a//b", "", "a/", "a/./b", "a/../b", "..", "a\\b", "a\0b",
        "x" + Store.TEMP_MARKER + "1")) {
      assertRefused(bad, () -> store.put(bad, utf8("x")));
      assertRefused(bad, () -> store.put(bad, new ByteArrayInputStream(utf8("x")), 1));
      assertRefused(bad, () -> store.get(bad));
      assertRefused(bad, () -> store.get(bad, 0, 1));
      assertRefused(bad, () -> store.stat(bad));
      assertRefused(bad, () -> store.exists(bad));
      assertRefused(bad, () -> store.delete(bad));
    }
    for (String bad : List.of("../", "/abs/", "a//", "..")) {
      assertRefused(bad, () -> store.list(bad));
    }
    for (String bad : List.of("../x", "/abs", "a//b", "a/", "..")) {
      assertRefused(bad, () -> store.folders(bad));
    }
    assertEquals(List.of(), store.list(""), "nothing was written");
  }

  private static void assertRefused(String path, Runnable op) {
    try {
      op.run();
      fail("\"" + path + "\" was accepted");
    } catch (RepoException e) {
      assertFalse(StoreException.isTransient(e), "refusing \"" + path + "\" must be permanent: " + e);
      assertFalse(e instanceof NoSuchObjectException, "\"" + path + "\" must be refused, not looked up: " + e);
    }
  }

  @Test
  void aDroppedUploadLeavesNoPartialObject() throws Exception {
    byte[] old = bytes(50_000, 15);
    store.put("blocks/kept.bak", old);
    FaultyStore faulty = new FaultyStore(store, 15)
        .script(Op.PUT, Fault.dropAfter(30_000), Fault.dropAfter(0), Fault.dropAfter(1));
    byte[] data = bytes(200_000, 16);
    StoreException e = assertThrows(StoreException.class, () -> faulty.put("blocks/new.bak", data));
    assertTrue(e.isTransient(), e.getMessage());
    assertTrue(e.getMessage().contains("blocks/new.bak"), e.getMessage());
    assertFalse(store.exists("blocks/new.bak"));
    assertThrows(NoSuchObjectException.class, () -> store.get("blocks/new.bak"));

    StoreException replacing = assertThrows(StoreException.class, () -> faulty.put("blocks/kept.bak", data));
    assertTrue(replacing.isTransient());
    assertArrayEquals(old, store.get("blocks/kept.bak"), "a failed replacement keeps the old object whole");

    assertThrows(StoreException.class, () -> faulty.put("fresh/folder/new.bak", new ByteArrayInputStream(data),
        data.length));
    assertEquals(List.of(new StoredObject("blocks/kept.bak", 50_000)), store.list(""),
        "no partial object and no temp file is listed");
    if (backingFolder() != null) {
      assertEquals(List.of(), tempFiles(backingFolder()), "the source failed, the connection works: uploads discarded");
    }

    faulty.put("blocks/new.bak", data); // the script is used up: the repeat succeeds
    assertArrayEquals(data, store.get("blocks/new.bak"));
    assertEquals(3, faulty.injected(Op.PUT));
  }

  @Test
  void aPutIsInvisibleUntilWhole_thenReplacesAndLeavesNoTemporaryFile() throws Exception {
    byte[] old = bytes(1_000, 20);
    store.put("blocks/p.bak", old);
    byte[] data = bytes(300_000, 21);
    Path folder = backingFolder();
    List<Object> midway = new ArrayList<>();
    InputStream source = new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
      long read;

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (read == 150_000 && midway.isEmpty()) { // half way: what do readers see?
          midway.add(store.get("blocks/p.bak"));
          midway.add(store.list(""));
          midway.add(folder == null ? List.of() : tempFiles(folder));
        }
        int n = super.read(b, off, read < 150_000 ? (int) Math.min(len, 150_000 - read) : len);
        read += Math.max(n, 0);
        return n;
      }
    };
    store.put("blocks/p.bak", source, data.length);
    assertEquals(3, midway.size(), "the source was read past its middle once");
    assertArrayEquals(old, (byte[]) midway.get(0), "while the upload runs, the old object is whole");
    assertEquals(List.of(new StoredObject("blocks/p.bak", 1_000)), midway.get(1), "and no other object is listed");
    if (folder != null) { // a store that writes files: a temporary name in the object's folder (TempRename)
      assertEquals(1, ((List<?>) midway.get(2)).size(), "one temporary file: " + midway.get(2));
      assertTrue(((List<?>) midway.get(2)).get(0).toString().matches("blocks/p\\.bak\\.tmp-[0-9a-f]{16}"),
          "named after the object: " + midway.get(2));
      assertEquals(List.of(), tempFiles(folder), "renamed into place, nothing left");
    }
    assertArrayEquals(data, store.get("blocks/p.bak"));
  }

  /** The temporary files under {@code folder}, relative to it. */
  protected static List<String> tempFiles(Path folder) throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> p.getFileName().toString().contains(Store.TEMP_MARKER))
          .map(p -> folder.relativize(p).toString()).sorted().toList();
    }
  }

  /** Runs {@code body(t)} for t = 0..n-1 on n threads and rethrows the first failure. */
  public static void runInThreads(int n, ThrowingIntConsumer body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int id = t;
        Callable<Object> c = () -> {
          body.accept(id);
          return null;
        };
        futures.add(pool.submit(c));
      }
      for (Future<Object> f : futures) {
        f.get(150, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A test body run by one thread. */
  @FunctionalInterface
  public interface ThrowingIntConsumer {
    void accept(int value) throws Exception;
  }
}
