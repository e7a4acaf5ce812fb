package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.HttpFaults;
import au.com.backup247.agent.repo.store.NetworkFaultContract;
import au.com.backup247.agent.repo.store.Store;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link NetworkFaultContract} for {@link AzureStore} against Azurite, plus a malformed HTTP answer. */
class AzureNetworkFaultTest extends NetworkFaultContract {
  static AzuritePeer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = AzuritePeer.shared(); // the JVM's: stopped when it ends
    server.createContainer("b247-faults");
  }

  @Override
  protected int serverPort() {
    return server.endpoint.getPort();
  }

  @Override
  protected Store storeAt(int port, String prefix) {
    URI e = server.endpoint;
    return new AzureStore(server.config("b247-faults", "repos/" + prefix).withEndpoint(URI.create("http://127.0.0.1:"
        + port + e.getPath())).withTimeouts(IO, IO));
  }

  /**
   * Only the answer that is not HTTP: a body cut short (HttpFaults.CUT_SHORT) also ends in a
   * transient error, but after about 26 s (the SDK's three tries), too slow for every CI run.
   */
  @Test
  void malformedHttpResponse_isATransientErrorInBoundedTime() throws Exception {
    HttpFaults.malformedResponse_isATransientErrorInBoundedTime(this, HttpFaults.NOT_HTTP);
  }
}
