package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The progress lines of {@code --wait}: the terminal bar and the plain line, from a progress event. */
class JobWatchTest {

  private static JsonObject backup(Integer percent, Long filesTotal, Long bytesTotal, Long eta) {
    return new JsonObject().put("kind", "backup").put("percent", percent).put("files", 120L)
        .put("filesTotal", filesTotal).put("bytes", 3L << 29).put("bytesTotal", bytesTotal)
        .put("bytesPerSecond", 12L << 20).put("etaSeconds", eta).put("currentFile", "/home/ann/video.mkv")
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "NAS").put("bytesUploaded", 1L << 30)
            .put("bytesPerSecond", 5L << 20)));
  }

  @Test
  void bar_showsPercentCountsRateTimeLeftAndTheFile() {
    assertEquals("[##########--------------]  42% 120/300 files, 1.5 GiB of 3.6 GiB, 12 MiB/s, 1:15 left, sent NAS"
        + " 1.0 GiB (5.0 MiB/s): /home/ann/video.mkv",
        JobWatch.bar(backup(42, 300L, 3_865_470_566L, 75L)));
  }

  @Test
  void beforeTheWalkEnded_thereIsNoTotalNorPercent() {
    assertEquals("[????????????????????????]   ?% 120 files, 1.5 GiB, 12 MiB/s, sent NAS 1.0 GiB (5.0 MiB/s):"
        + " /home/ann/video.mkv", JobWatch.bar(backup(null, null, null, null)));
    assertEquals("120 files, 1.5 GiB, 12 MiB/s, sent NAS 1.0 GiB (5.0 MiB/s): /home/ann/video.mkv",
        JobWatch.plain(backup(null, null, null, null)));
  }

  @Test
  void spaceFreeing_saysWhatItIsDoing() {
    assertEquals("freeing space, 1:01:05 elapsed — deleting 12 blocks", JobWatch.plain(new JsonObject()
        .put("kind", "space-freeing").put("phase", "freeing space").put("elapsedMs", 3_665_000L)
        .put("step", "deleting 12 blocks")));
  }

  @Test
  void spaceFreeing_countsTheObjectsItDeletes() {
    assertEquals("33% freeing space, deleting 12/36 objects, 3.0 MiB freed, 0:07 elapsed — deleting",
        JobWatch.plain(new JsonObject().put("kind", "space-freeing").put("phase", "freeing space")
            .put("elapsedMs", 7_000L).put("stage", "delete").put("files", 12L).put("filesTotal", 36L)
            .put("bytes", 3L << 20).put("percent", 33).put("step", "deleting")));
  }

  @Test
  void sizes() {
    assertEquals("999 B", JobWatch.bytes(999));
    assertEquals("1.5 KiB", JobWatch.bytes(1536));
    assertEquals("120 MiB", JobWatch.bytes(120L << 20));
  }
}
