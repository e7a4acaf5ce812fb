package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link RetryingStore} over a {@link FaultyStore} that fails a fifth of all calls with transient
 * errors, lost responses and dropped uploads, over a {@link LocalStore}, passes the whole contract:
 * retries hide transient faults, and repeating puts and deletes is safe.
 */
class RetryingFaultyStoreContractTest extends StoreContract {
  @TempDir
  Path dir;
  private FaultyStore faulty;

  @Override
  protected Store createStore() {
    faulty = new FaultyStore(new LocalStore(dir.resolve("repo")), 20261126L)
        .rule(Op.PUT, 0.08, Fault.dropAfter(1000))
        .rule(Op.PUT, 0.08, Fault.lostResponse())
        .rule(Op.DELETE, 0.1, Fault.lostResponse())
        .rule(Op.GET, 0.05, Fault.delay(Duration.ofMillis(1)))
        .transientEverywhere(0.12)
        .sleeper(d -> { });
    return new RetryingStore(faulty, new RetryingStore.Policy(40, Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMinutes(2)), d -> { }, Math::random, System::nanoTime);
  }

  @Override
  protected Path backingFolder() {
    return dir.resolve("repo");
  }

  @Test
  void faultsAreInjectedAndHidden() {
    for (int i = 0; i < 100; i++) {
      store.put("blocks/" + i + ".bak", bytes(5000, i));
    }
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(bytes(5000, i), store.get("blocks/" + i + ".bak"));
      store.delete("blocks/" + i + ".bak");
    }
    assertEquals(0, store.list("").size());
    assertTrue(faulty.injected(Op.PUT) > 20, "put faults: " + faulty.injected(Op.PUT));
    assertTrue(faulty.injected(Op.DELETE) > 10, "delete faults: " + faulty.injected(Op.DELETE));
  }
}
