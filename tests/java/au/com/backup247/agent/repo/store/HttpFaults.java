package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/** The HTTP-only fault of {@link NetworkFaultContract}: answers that are not HTTP, or cut short. */
public final class HttpFaults {
  private HttpFaults() {
  }

  public static final String NOT_HTTP = "HTTP/1.1 2OO OK\r\nthis is not HTTP\r\n\r\n";
  public static final String CUT_SHORT = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: application/xml\r\n\r\n"
      + "<Incomplete";

  public static void malformedResponse_isATransientErrorInBoundedTime(NetworkFaultContract t, String... replies)
      throws Exception {
    for (String reply : replies) {
      t.proxy.set(FaultProxy.Fault.garbage(reply));
      // one attempt of ours: the SDK's own quick retries are what is measured
      Store s = new RetryingStore(t.storeAt(t.proxy.port(), "garbage"), new RetryingStore.Policy(1,
          Duration.ZERO, Duration.ZERO, Duration.ZERO));
      long t0 = System.nanoTime();
      try {
        StoreException e = assertThrows(StoreException.class, () -> s.get("config"), reply);
        assertTrue(e.isTransient(), reply + " -> " + e.getMessage());
        assertTrue(NetworkFaultContract.elapsed(t0) < 40, reply + " took " + NetworkFaultContract.elapsed(t0) + " s");
      } finally {
        s.close();
      }
    }
  }
}
