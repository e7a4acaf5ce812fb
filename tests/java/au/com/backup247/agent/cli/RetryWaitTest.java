package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.repo.store.RetryingStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code B247_RETRY_MAX_WAIT}: the repo commands' cap on the wait between two tries of a remote operation. */
class RetryWaitTest {

  @Test
  void unset_isTheDefaultSchedule() {
    assertEquals(RetryingStore.Policy.DEFAULT, RepoOptions.retryPolicy(null));
    assertEquals(RetryingStore.Policy.DEFAULT, RepoOptions.retryPolicy(" "));
  }

  @Test
  void aCap_shortensEveryWait_andKeepsTheAttempts() {
    RetryingStore.Policy p = RepoOptions.retryPolicy("0.05");
    assertEquals(RetryingStore.Policy.DEFAULT.maxAttempts(), p.maxAttempts());
    assertEquals(Duration.ofMillis(50), p.baseDelay());
    assertEquals(Duration.ofMillis(50), p.maxDelay());
    RetryingStore.Policy longer = RepoOptions.retryPolicy("10");
    assertEquals(RetryingStore.Policy.DEFAULT.baseDelay(), longer.baseDelay());
    assertEquals(Duration.ofSeconds(10), longer.maxDelay());
  }

  @Test
  void notANumberOfSeconds_isAUsageErrorNamingTheVariable() {
    for (String bad : new String[] {"fast", "0", "-1", "NaN", "3601"}) {
      AgentException e = assertThrows(AgentException.class, () -> RepoOptions.retryPolicy(bad));
      assertEquals("B247_RETRY_MAX_WAIT must be a number of seconds from 0.001 to 3600, got \"" + bad + "\"",
          e.getMessage());
    }
  }
}
