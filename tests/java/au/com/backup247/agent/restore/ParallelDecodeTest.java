package au.com.backup247.agent.restore;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the blobs of one large file are decoded by several threads at once and written in
 * order, with what waits to be written bounded; a damaged blob fails that file only, naming it;
 * a cancel stops the decoding. Two restore threads, so two blobs of a file at a time.
 */
class ParallelDecodeTest {
  static final int BLOB = 4096;
  static final int BLOBS = 64;
  static final int THREADS = 2;

  @TempDir
  Path dir;
  Path src;
  byte[] image;
  /** The image's blobs: offset in their block → position in the file. */
  final Map<Long, Integer> position = new HashMap<>();
  String block;
  List<ChunkId> ids;

  /**
   * The local repository, watching the reads of the image's blobs: each read gives its blob's
   * position to {@link #onRead} and records whether it started more than the window ahead of the
   * blobs written so far.
   */
  final class Watched extends ForwardingStore {
    volatile IntConsumer onRead = i -> { };
    volatile RestoreEngine engine;
    final AtomicInteger reads = new AtomicInteger();
    final List<String> aheadOfWindow = Collections.synchronizedList(new ArrayList<>());

    Watched() {
      super(new LocalStore(dir.resolve("repo")));
    }

    @Override
    public byte[] get(String path, long offset, int length) {
      Integer i = path.equals(block) ? position.get(offset) : null;
      if (i != null) {
        reads.incrementAndGet();
        long writtenBlobs = engine.live().bytesWritten() / BLOB;
        if (i >= writtenBlobs + THREADS) {
          aheadOfWindow.add("blob " + i + " read with " + writtenBlobs + " written");
        }
        onRead.accept(i);
      }
      return inner.get(path, offset, length);
    }
  }

  @BeforeEach
  void backUpAnImage() throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    image = RepoFixture.bytes(new Random(14), BLOB * BLOBS); // 64 different blobs of the fixed-size chunker
    Files.write(src.resolve("disk.img"), image);
    Files.writeString(src.resolve("notes.txt"), "a small file next to it");
    Repository repo = Repository.init(new LocalStore(dir.resolve("repo")), new Repository.InitOptions("1700000000000",
        CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL, KeyType.PASSWORD, BLOB, 4 << 20, 1024, 1),
        RepoFixture.PASSWORD);
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    History h = History.load(repo, null);
    FileVersion img = h.current().get(src.resolve("disk.img").toString());
    ids = img.chunks();
    assertEquals(BLOBS, ids.size());
    for (int i = 0; i < ids.size(); i++) {
      BlobLocation loc = h.location(ids.get(i));
      block = loc.block();
      position.put(loc.offset(), i);
    }
    repo.close();
  }

  RestoreEngine engine(Watched store, Path out, List<JobLog.Line> lines) {
    Repository repo = Repository.open(store, RepoFixture.PASSWORD);
    store.engine = new RestoreEngine(repo, new RestoreEngine.Options(out, null, false, null, false, THREADS),
        RepoFixture.jobLog(lines));
    return store.engine;
  }

  @Test
  void aLargeFile_isDecodedInParallelAndWrittenInOrder_withBoundedMemory() throws Exception {
    Watched store = new Watched();
    Path out = dir.resolve("out");
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine e = engine(store, out, lines);
    AtomicBoolean secondDecodedMeanwhile = new AtomicBoolean();
    // the first blob's read waits until the second blob is decoded: only a parallel decode gets there
    store.onRead = i -> {
      if (i == 0) {
        try {
          eventually(Duration.ofSeconds(20), () -> assertTrue(e.peakDecodedUnwritten() >= BLOB));
          secondDecodedMeanwhile.set(true);
        } catch (AssertionError notParallel) {
          // reported below
        }
      }
    };
    RestoreEngine.Summary s = e.run();

    assertEquals(0, s.failed(), lines.toString());
    assertTrue(secondDecodedMeanwhile.get(), "the second blob was decoded while the first was being read");
    // written in order although the second blob was ready first
    assertArrayEquals(image, Files.readAllBytes(RepoFixture.under(out, src).resolve("disk.img")));
    RepoFixture.assertSameTree(src, RepoFixture.under(out, src));
    // no blob is read more than a window ahead of the blobs written, and at most a window waits
    assertEquals(List.of(), store.aheadOfWindow);
    assertTrue(e.peakDecodedUnwritten() <= THREADS * BLOB, "held " + e.peakDecodedUnwritten());
    assertEquals(BLOBS, store.reads.get());
  }

  @Test
  void aDamagedBlobInTheMiddle_failsThatFileNamingIt_andLeavesNothingPartial() throws Exception {
    long bad = position.entrySet().stream().filter(p -> p.getValue() == BLOBS / 2).findFirst().orElseThrow().getKey();
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("repo").resolve(block).toFile(), "rw")) {
      f.seek(bad + 20);
      int b = f.read();
      f.seek(bad + 20);
      f.write(b ^ 0x40);
    }
    Path out = dir.resolve("out");
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine.Summary s = engine(new Watched(), out, lines).run();

    assertEquals(1, s.failed(), lines.toString());
    String job = Repository.jobOf(block);
    assertTrue(lines.stream().anyMatch(l -> l.message().contains(src.resolve("disk.img").toString())
        && l.message().contains("blob " + ids.get(BLOBS / 2)) && l.message().contains(block)
        && l.message().contains("job " + job)), lines.toString());
    Path restored = RepoFixture.under(out, src);
    assertFalse(Files.exists(restored.resolve("disk.img")));
    assertEquals("a small file next to it", Files.readString(restored.resolve("notes.txt")));
    assertEquals(List.of("notes.txt"), names(restored), "no temp file left");
  }

  @Test
  void cancel_stopsTheDecodingOfALargeFile() throws Exception {
    Watched store = new Watched();
    Path out = dir.resolve("out");
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine e = engine(store, out, lines);
    store.onRead = i -> {
      if (i == 8) {
        e.cancel();
      }
    };
    e.run();

    assertTrue(e.cancelled());
    // the blobs in flight when it was cancelled finish; no later one is read
    assertTrue(store.reads.get() <= 8 + THREADS, store.reads.get() + " blobs read");
    Path restored = RepoFixture.under(out, src);
    assertFalse(Files.exists(restored.resolve("disk.img")));
    assertTrue(names(restored).stream().allMatch(n -> n.equals("notes.txt")), names(restored).toString());
  }

  @Test
  void whileFoldersWaitForAThread_largeFilesAreDecodedOnTheirFoldersThread() throws Exception {
    // six folders of one large file each, two threads: a thread is idle only once fewer than two
    // folders are left, so at most one file (of the last folder) is decoded in parallel
    Path many = Files.createDirectories(dir.resolve("many"));
    Random r = new Random(15);
    for (int f = 0; f < 6; f++) {
      Files.write(Files.createDirectories(many.resolve("folder-" + f)).resolve("big.bin"),
          RepoFixture.bytes(r, BLOB * FileRestorer.PARALLEL_MIN_BLOBS * 2));
    }
    Path repoDir = dir.resolve("repo-many");
    Repository repo = Repository.init(new LocalStore(repoDir), new Repository.InitOptions("1700000000000",
        CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL, KeyType.PASSWORD, BLOB, 4 << 20, 1024, 1),
        RepoFixture.PASSWORD);
    assertTrue(RepoFixture.backup(many, repo).get(0).ok());
    repo.close();
    Path out = dir.resolve("out-many");
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine e = new RestoreEngine(Repository.open(new LocalStore(repoDir), RepoFixture.PASSWORD),
        new RestoreEngine.Options(out, null, false, null, false, THREADS), RepoFixture.jobLog(lines));
    RestoreEngine.Summary s = e.run();

    assertEquals(0, s.failed(), lines.toString());
    RepoFixture.assertSameTree(many, RepoFixture.under(out, many));
    assertTrue(e.filesDecodedInParallel() <= THREADS - 1, e.filesDecodedInParallel() + " files decoded in parallel");
  }

  static List<String> names(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
