package au.com.backup247.agent.repo.store.s3;

import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link S3Store} passes the destination contract against s3proxy 4.1.0 running in-process
 * (path-style endpoint on 127.0.0.1, signatures checked); each test uses its own prefix in one
 * bucket, so prefix handling is part of the test. The 40 MiB object goes up in 8 MiB parts.
 */
class S3ContractTest extends StoreContract {
  static S3Peers.Peer server;
  static final AtomicInteger N = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Peers.start();
    server.createBucket("b247-contract");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop();
  }

  @Override
  protected Store createStore() {
    return new S3Store(server.config("b247-contract", "repos/t" + N.incrementAndGet()));
  }
}
