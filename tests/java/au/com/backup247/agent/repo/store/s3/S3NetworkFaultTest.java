package au.com.backup247.agent.repo.store.s3;

import au.com.backup247.agent.repo.store.HttpFaults;
import au.com.backup247.agent.repo.store.NetworkFaultContract;
import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.Store;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link NetworkFaultContract} for {@link S3Store} against s3proxy, plus a malformed HTTP answer. */
class S3NetworkFaultTest extends NetworkFaultContract {
  static S3Peers.Peer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Peers.start();
    server.createBucket("b247-faults");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop();
  }

  @Override
  protected int serverPort() {
    return server.endpoint().getPort();
  }

  @Override
  protected Store storeAt(int port, String folder) {
    return new S3Store(server.config("b247-faults", "repos/" + folder).withEndpoint(URI.create("http://127.0.0.1:"
        + port)).withTimeouts(IO, IO));
  }

  @Test
  void malformedHttpResponse_isATransientErrorInBoundedTime() throws Exception {
    HttpFaults.malformedResponse_isATransientErrorInBoundedTime(this, HttpFaults.NOT_HTTP, HttpFaults.CUT_SHORT);
  }
}
