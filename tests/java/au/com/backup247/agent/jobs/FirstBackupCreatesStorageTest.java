package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.S3Peers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15: a set's first backup to an S3 bucket (s3proxy) and an Azure container (Azurite) that
 * do not exist yet creates them (the container private) and completes, through the REST API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstBackupCreatesStorageTest {

  @Test
  void firstBackup_createsTheMissingBucketAndContainer(Vertx vertx, @TempDir Path dir) throws Exception {
    S3Peers.Peer s3 = S3Peers.start();
    try (AzuritePeer azurite = AzuritePeer.shared()) {
      JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
      Path src = dir.resolve("src");
      RepoFixture.makeTree(src, 3);
      JsonObject set = JobsHarness.set("Cloud", src, List.of());
      set.put("destinations", new JsonArray()
          .add(new JsonObject().put("name", "S3").put("url", "s3://new-bucket/backups?endpoint=" + s3.endpoint()
              + "&region=us-east-1"))
          .add(new JsonObject().put("name", "Azure").put("url", "azure://" + AzuritePeer.ACCOUNT
              + "/new-container/backups?endpoint=" + azurite.endpoint)));
      long setId = h.create(set);
      credentials(h, setId, "S3", new JsonObject().put("access-key", S3Peers.ACCESS_KEY)
          .put("secret-key", S3Peers.SECRET_KEY));
      credentials(h, setId, "Azure", new JsonObject().put("account-key", AzuritePeer.KEY));

      h.startBackup(setId);
      for (Object o : h.awaitReports(setId, 2)) {
        JsonObject r = (JsonObject) o;
        assertEquals("Completed", r.getString("status"), r.encodePrettily());
      }
      try (S3Client c = s3.client()) {
        assertTrue(c.listObjectsV2(r -> r.bucket("new-bucket").prefix("backups/")).keyCount() > 0);
      }
      var container = azurite.client().getBlobContainerClient("new-container");
      assertTrue(container.exists());
      assertNull(container.getProperties().getBlobPublicAccess(), "private");
    } finally {
      s3.stop();
    }
  }

  private static void credentials(JobsHarness h, long setId, String destination, JsonObject values) {
    HttpResponse<Buffer> r = h.put("sets/" + setId + "/destinations/" + destination + "/credentials", values);
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
