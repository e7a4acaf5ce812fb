package au.com.backup247.agent.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IndexChain#replay}: the state in memory, each index part read once, the same as the other readers. */
class IndexChainTest {
  private static final String FIRST = "2026-01-01-00-00-01";
  private static final String SECOND = "2026-01-01-00-00-02";

  private static FileVersion file(String path, ChunkId chunk) {
    return new FileVersion(path, FileVersion.FILE, 1, 0644, 1_000_000_000L, 1_000_000_000L, 1, "", List.of(chunk));
  }

  private static ChunkId chunk(int b) {
    byte[] id = new byte[ChunkId.SIZE];
    Arrays.fill(id, (byte) b);
    return new ChunkId(id);
  }

  private static IndexSegment.Blob blob(ChunkId id, String block) {
    return new IndexSegment.Blob(id, new BlobLocation(ObjectTypes.DATA, block, 0, 10, 10));
  }

  @Test
  void replay_pathEndedAndAddedInOneSegment_staysAsTheOtherReadersSay(@TempDir Path dir) {
    Repository repo = RepoFixture.init(dir);
    ChunkId x = chunk(1);
    ChunkId y = chunk(2);
    String b1 = "blocks/" + FIRST + "/b1.bak";
    String b2 = "blocks/" + SECOND + "/b2.bak";
    // the first job: its segment is its checkpoint
    Props first = new Props().put("jobId", FIRST).put("checkpoint.segment", "true");
    Manifest.putRefs(first, "index", repo.writeSegment(new IndexSegment(FIRST, null,
        List.of(new IndexSegment.Block(b1, 100)), List.of(blob(x, b1)), List.of(file("/a", x), file("/b", x)),
        List.of())));
    repo.writeManifest(FIRST, first);
    // the second job in small parts: "/b" is added in one part and ended in a later one
    IndexPartWriter w = new IndexPartWriter(SECOND, FIRST, "index/" + SECOND, "idx", repo::writeIndexPart, 70);
    w.block(new IndexSegment.Block(b2, 100));
    w.blob(blob(x, b2)); // stored again: the later copy wins
    w.blob(blob(y, b2));
    w.added(file("/b", y));
    w.ended("/a");
    w.ended("/b");
    w.added(file("/c", y));
    List<IndexRef> parts = w.finish();
    assertEquals(4, parts.size(), "block and blob x | block and blob y | added /b | ended /a, /b, added /c");
    Props second = new Props().put("jobId", SECOND);
    Manifest.putRefs(second, "index", parts);
    repo.writeManifest(SECOND, second);

    IndexChain.Replay r = IndexChain.latest(repo).replay().orElseThrow();
    assertEquals(List.of("/b", "/c"), new ArrayList<>(r.current().keySet()));
    assertEquals(file("/b", y), r.current().get("/b"));
    assertEquals(Map.of(x, blob(x, b2).location(), y, blob(y, b2).location()), r.blobs());
    History replayed = History.load(repo, null);
    assertEquals(replayed.current(), r.current());
    assertEquals(replayed.blobs(), r.blobs());
    List<FileVersion> streamed = new ArrayList<>();
    IndexChain.latest(repo).state().drain(streamed::add);
    assertEquals(new ArrayList<>(r.current().values()), streamed);
    assertEquals(r.current(), History.current(repo, null).current());
  }
}
