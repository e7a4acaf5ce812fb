package au.com.backup247.agent.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: a chunk a restore uses many times is decrypted and decompressed once. */
class RepeatedChunksTest {

  @Test
  void aChunkRepeatedInAFileAndAcrossFiles_isDecodedOnce(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    byte[] region = RepoFixture.bytes(new Random(14), 4096);
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      image.write(region);
    }
    Files.write(src.resolve("disk.img"), image.toByteArray());
    for (int i = 0; i < 20; i++) {
      Files.writeString(Files.createDirectories(src.resolve("copy" + i)).resolve("LICENSE"), "the same small file");
    }
    // the fixed-size chunker cuts the image into 1000 equal chunks
    Repository repo = Repository.init(new LocalStore(dir.resolve("repo")), new Repository.InitOptions("1700000000000",
        CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL, KeyType.PASSWORD, 4096, 4 << 20, 1024, 1),
        RepoFixture.PASSWORD);
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());

    Path out = dir.resolve("out");
    List<JobLog.Line> lines = new ArrayList<>();
    RestoreEngine e = new RestoreEngine(repo, new RestoreEngine.Options(out, null, false, null, false, 2),
        RepoFixture.jobLog(lines));
    RestoreEngine.Summary s = e.run();

    assertEquals(0, s.failed(), lines.toString());
    assertEquals(2, e.chunksDecoded(), "the image's chunk and the small file's, once each");
    Path restored = RepoFixture.under(out, src);
    assertArrayEquals(image.toByteArray(), Files.readAllBytes(restored.resolve("disk.img")));
    RepoFixture.assertSameTree(src, restored);
    repo.close();
  }
}
