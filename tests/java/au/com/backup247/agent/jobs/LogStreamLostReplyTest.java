package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/**
 * A streamed batch whose write committed but whose reply was lost must not be doubled in the
 * final report. A lost reply after a commit cannot be produced with the real catalog, so the
 * append address is served here by a stand-in that stores the lines and then fails the reply once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogStreamLostReplyTest {

  @Test
  void aFailedAppend_makesTheFinalWriteReplaceTheLog(Vertx vertx) throws Exception {
    List<Object> stored = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_JOBS_LOG_APPEND, m -> {
      stored.addAll(m.body().getJsonArray("lines").getList());
      if (calls.incrementAndGet() == 1) {
        m.fail(500, "reply lost after the commit");
      } else {
        m.reply(new JsonObject());
      }
    }).completion().await();

    AtomicReference<LogStream> ref = new AtomicReference<>();
    var ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> ref.set(new LogStream(vertx, List.of(7L))));
    LogStream stream = eventuallyGet(Duration.ofSeconds(10), () -> Objects.requireNonNull(ref.get(), "the log stream"));
    JobLog log = new JobLog(Clock.systemUTC(), l -> stream.lineAdded());
    ctx.runOnContext(v -> stream.start(log));
    for (int i = 0; i < LogStream.FLUSH_LINES; i++) {
      log.info("line " + i);
    }
    eventually(Duration.ofSeconds(10), () -> assertTrue(calls.get() >= 2, "the failed batch, then its retry: "
        + calls.get() + " call(s)"));
    AtomicReference<JsonObject> last = new AtomicReference<>();
    ctx.runOnContext(v -> stream.close().onSuccess(x -> last.set(stream.finalLines(log))));
    eventually(Duration.ofSeconds(10), () -> assertNotNull(last.get(), "the stream's final lines"));
    assertTrue(stored.size() >= 2 * LogStream.FLUSH_LINES, "the stand-in stored the batch twice");
    assertTrue(last.get().getBoolean("replaceLog"), last.get().encode());
    assertEquals(LogStream.FLUSH_LINES, last.get().getJsonArray("lines").size());
    assertFalse(last.get().getJsonArray("lines").encode().contains("left out"));
  }
}
