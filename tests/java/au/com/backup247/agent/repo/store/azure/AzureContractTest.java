package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AzureStore} passes the destination contract against Azurite (a real blob service process
 * on 127.0.0.1, requests signed with the account key); each test uses its own prefix in one
 * container, so prefix handling is part of the test. The 40 MiB object goes up as 8 MiB staged
 * blocks. Fails on CI and is skipped elsewhere when Azurite is not installed ({@link AzuritePeer}).
 */
class AzureContractTest extends StoreContract {
  static AzuritePeer server;
  static final AtomicInteger N = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = AzuritePeer.shared(); // the JVM's: stopped when it ends
    server.createContainer("b247-contract");
  }

  @Override
  protected Store createStore() {
    return new AzureStore(server.config("b247-contract", "repos/t" + N.incrementAndGet()));
  }
}
