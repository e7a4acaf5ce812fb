package au.com.backup247.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long a task waits before its event loop runs it: every {@code everyMs} a probe is handed to
 * each of Vert.x's event loops, and the time until it runs is recorded as
 * {@code b247_eventloop_delay_seconds{loop}} (count, sum and the recent max). A loop blocked by a
 * long handler shows as a delay of that handler's length.
 */
final class EventLoopDelay {
  private final Vertx vertx;
  private final List<EventExecutor> loops = new ArrayList<>();
  private final List<Timer> timers = new ArrayList<>();
  private long periodic = -1;

  EventLoopDelay(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    int i = 0;
    for (EventExecutor loop : ((VertxInternal) vertx).eventLoopGroup()) { // no public API lists the loops
      loops.add(loop);
      timers.add(Timer.builder("b247.eventloop.delay").description("Time a task waits for its event loop")
          .tag("loop", String.valueOf(i++)).register(registry));
    }
  }

  /** Probes every loop every {@code everyMs}. */
  void start(long everyMs) {
    periodic = vertx.setPeriodic(everyMs, id -> probe());
  }

  private void probe() {
    for (int i = 0; i < loops.size(); i++) {
      Timer t = timers.get(i);
      long sent = System.nanoTime();
      loops.get(i).execute(() -> t.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS));
    }
  }

  void stop() {
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
    }
  }
}
