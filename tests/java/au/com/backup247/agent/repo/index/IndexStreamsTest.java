package au.com.backup247.agent.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.error.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path order, the compact chunk set, multi-part index writing and the merged state cursor. */
class IndexStreamsTest {

  private static FileVersion file(String path, int size) {
    return new FileVersion(path, FileVersion.FILE, size, 0644, 1, 1, 1, "", List.of());
  }

  @Test
  void pathOrder_isTheOrderOfASortedDepthFirstWalk(@TempDir Path dir) throws IOException {
    for (String name : List.of("a/z", "a.b/x", "a b/y", "a-/q", "ab", "a/b/c", "A", "é", "a/b.c", "z", "a0")) {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, name);
    }
    List<String> walk = new ArrayList<>();
    walk(dir, walk);
    List<String> sorted = new ArrayList<>(walk);
    sorted.sort(PathOrder.COMPARATOR);
    assertEquals(walk, sorted);
    // plain string order would put "/a.b" before "/a/b" ('.' < '/'): the walk does not
    List<String> plain = new ArrayList<>(walk);
    plain.sort(null);
    assertFalse(plain.equals(walk), "the tree must contain a case where plain string order differs");
  }

  private static void walk(Path p, List<String> out) throws IOException {
    out.add(p.toString());
    if (Files.isDirectory(p)) {
      List<Path> children;
      try (Stream<Path> s = Files.list(p)) {
        children = new ArrayList<>(s.toList());
      }
      children.sort(Comparator.comparing(c -> c.getFileName().toString()));
      for (Path c : children) {
        walk(c, out);
      }
    }
  }

  @Test
  void chunkSet_behavesLikeAHashSet() {
    Random r = new Random(7);
    ChunkSet set = new ChunkSet(4);
    Set<ChunkId> ref = new HashSet<>();
    List<ChunkId> ids = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[32];
      r.nextBytes(b);
      if (i % 1000 == 0) {
        b[0] = 0; // ids sharing their first bytes still differ
        b[1] = 0;
      }
      ids.add(new ChunkId(b));
    }
    ids.add(new ChunkId(new byte[32]));
    for (int i = 0; i < 30_000; i++) {
      ChunkId id = ids.get(r.nextInt(ids.size()));
      assertEquals(ref.add(id), set.add(id), "add " + id);
    }
    assertEquals(ref.size(), set.size());
    for (ChunkId id : ids) {
      assertEquals(ref.contains(id), set.contains(id));
    }
    Set<ChunkId> visited = new HashSet<>();
    set.forEach(visited::add);
    assertEquals(ref, visited);
    ChunkSet other = new ChunkSet();
    ids.subList(0, 5000).forEach(other::add);
    Set<ChunkId> both = new HashSet<>(ref);
    both.retainAll(ids.subList(0, 5000));
    Set<ChunkId> got = new HashSet<>();
    set.intersect(other).forEach(got::add);
    assertEquals(both, got);
  }

  /** Parts kept in memory, verified by name like the repository does. */
  private static final class Parts implements IndexPartWriter.Sink, IndexStreams.Loader {
    final Map<String, byte[]> stored = new HashMap<>();

    @Override
    public IndexRef write(String name, byte[] plain) {
      stored.put(name, plain);
      return new IndexRef(name, plain.length, "");
    }

    @Override
    public IndexSegment load(IndexRef ref) {
      return IndexSegment.decode(stored.get(ref.name()), ref.name());
    }
  }

  @Test
  void partWriter_splitsIntoPartsThatStreamBackInOrder() {
    Parts parts = new Parts();
    IndexPartWriter w = new IndexPartWriter("job", null, "index/job", "idx", parts, 2000);
    w.block(new IndexSegment.Block("blocks/job/b1.bak", 100));
    List<ChunkId> blobIds = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[32];
      b[0] = (byte) i;
      b[1] = 1;
      blobIds.add(new ChunkId(b));
      w.blob(new IndexSegment.Blob(blobIds.get(i), new BlobLocation(1, "blocks/job/b1.bak", i * 10L, 10, 10)));
    }
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      paths.add(String.format("/src/f%04d", i));
    }
    paths.forEach(p -> w.added(file(p, 1)));
    w.ended("/old/a");
    w.ended("/old/b");
    List<IndexRef> refs = w.finish();
    assertTrue(refs.size() > 5, "small parts: " + refs.size());
    assertEquals("index/job.idx", refs.get(0).name());
    assertEquals("index/job.1.idx", refs.get(1).name());
    List<String> back = new ArrayList<>();
    IndexStreams.added(refs, parts).forEachRemaining(v -> back.add(v.path()));
    assertEquals(paths, back);
    List<String> ended = new ArrayList<>();
    IndexStreams.ended(refs, parts).forEachRemaining(ended::add);
    assertEquals(List.of("/old/a", "/old/b"), ended);
    List<ChunkId> blobs = new ArrayList<>();
    IndexStreams.forEachBlockAndBlob(refs, parts, b -> { }, b -> blobs.add(b.id()));
    assertEquals(blobIds, blobs, "every part lists the block its blobs are in");
  }

  @Test
  void partWriter_refusesVersionsOutOfOrder() {
    IndexPartWriter w = new IndexPartWriter("job", null, "index/job", "idx", new Parts());
    w.added(file("/a.b", 1));
    assertThrows(IllegalStateException.class, () -> w.added(file("/a/b", 1))); // "/a/b" sorts before "/a.b"
    assertThrows(IllegalStateException.class, () -> w.added(file("/a.b", 1)));
    w.added(file("/a0", 1));
  }

  @Test
  void streams_reportPartsOutOfOrder() {
    Parts parts = new Parts();
    IndexSegment bad = new IndexSegment("job", null, List.of(), List.of(), List.of(file("/b", 1), file("/a", 1)),
        List.of());
    parts.stored.put("index/job.idx", bad.encode());
    Iterator<FileVersion> it = IndexStreams.added(List.of(new IndexRef("index/job.idx", 0, "")), parts);
    it.next();
    CorruptDataException e = assertThrows(CorruptDataException.class, it::next);
    assertTrue(e.getMessage().contains("index/job.idx"), e.getMessage());
  }

  private static Iterator<FileVersion> versions(String... spec) {
    List<FileVersion> out = new ArrayList<>();
    for (String s : spec) {
      String[] kv = s.split("=");
      out.add(file(kv[0], Integer.parseInt(kv[1])));
    }
    return out.iterator();
  }

  private static List<String> state(StateCursor c) {
    List<String> out = new ArrayList<>();
    c.drain(v -> out.add(v.path() + "=" + v.size()));
    return out;
  }

  @Test
  void stateCursor_newestSourceWinsAndEndedHidesOlderVersions() {
    StateCursor c = StateCursor.of(versions("/a=1", "/b=1", "/c=1", "/d=1"),
        List.of(versions("/b=2", "/e=2"), versions("/a=3", "/c=3")),
        List.of(List.of("/c", "/d").iterator(), List.of("/e").iterator()));
    // job 1: /b changed, /e new, /c and /d ended; job 2: /a changed, /c back, /e ended
    assertEquals(List.of("/a=3", "/b=2", "/c=3"), state(c));
  }

  @Test
  void stateCursor_advanceToHandsOverThePathsPassed() {
    StateCursor c = StateCursor.of(versions("/a=1", "/a/x=1", "/a.b=1", "/b=1"), List.of(), List.of());
    List<String> passed = new ArrayList<>();
    assertEquals(1, c.advanceTo("/a/x", v -> passed.add(v.path())).size());
    assertEquals(List.of("/a"), passed);
    assertNull(c.advanceTo("/a0", v -> passed.add(v.path())));
    assertEquals(List.of("/a", "/a.b"), passed);
    assertEquals("/b", c.next().path());
    assertNull(c.next());
    assertNull(StateCursor.empty().advanceTo("/x", v -> passed.add(v.path())));
  }
}
