package au.com.backup247.agent.metrics;

import au.com.backup247.agent.bus.LiveFlows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline's queues as gauges, one row per flow name ({@link LiveFlows}; the flows of jobs
 * running at once add up), refreshed before each scrape:
 *
 * <pre>
 *  b247_flow_queued{flow}    items a sender holds until it gets a credit (the stage upstream is waiting)
 *  b247_flow_credits{flow}   credits a sender holds (room the stage downstream has left)
 *  b247_flow_in_hand{flow}   items a receiver took and has not finished: its queue and the one
 *                            its stage is handling
 *  b247_flow_pending{flow}   items in a receiver's queue (its stage handles one at a time)
 *  b247_flow_window{flow}    the receiver's window; window - credits - in_hand: items on their way
 *                            (on the bus, or queued for a worker stage's thread)
 *  b247_flow_held_bytes{flow}  bytes a stage holds (the backup pipeline: chunks on their way to the
 *                            sealer and sealed blocks not yet written at every destination)
 * </pre>
 *
 * A flow that closed disappears at the next scrape.
 */
final class FlowMeters {
  private final MultiGauge queued;
  private final MultiGauge credits;
  private final MultiGauge inHand;
  private final MultiGauge pending;
  private final MultiGauge window;
  private final MultiGauge held;

  FlowMeters(MeterRegistry registry) {
    queued = gauge(registry, "b247.flow.queued", "Items a stage holds until the next stage grants a credit");
    credits = gauge(registry, "b247.flow.credits", "Credits a stage holds towards the next stage");
    inHand = gauge(registry, "b247.flow.in.hand", "Items a stage received and has not finished");
    pending = gauge(registry, "b247.flow.pending", "Items queued at a stage, waiting to be handled");
    window = gauge(registry, "b247.flow.window", "Items a stage accepts at once");
    held = MultiGauge.builder("b247.flow.held").baseUnit("bytes")
        .description("Bytes a stage holds for the stages after it").register(registry);
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  /** Sets every row from {@code samples} and {@code bytes}; flows no longer open lose their rows. */
  void update(List<LiveFlows.Sample> samples, List<LiveFlows.Held> bytes) {
    Map<String, long[]> sums = new TreeMap<>();
    for (LiveFlows.Sample s : samples) {
      long[] v = sums.computeIfAbsent(s.flow(), k -> new long[5]);
      if (s.side() == LiveFlows.Side.SENDER) {
        v[0] += s.waiting();
        v[1] += s.credits();
      } else {
        v[2] += s.waiting() + s.inHand();
        v[3] += s.waiting();
        v[4] += s.credits();
      }
    }
    queued.register(rows(sums, 0), true);
    credits.register(rows(sums, 1), true);
    inHand.register(rows(sums, 2), true);
    pending.register(rows(sums, 3), true);
    window.register(rows(sums, 4), true);
    Map<String, long[]> heldSums = new TreeMap<>();
    for (LiveFlows.Held h : bytes) {
      heldSums.computeIfAbsent(h.name(), k -> new long[1])[0] += h.bytes();
    }
    held.register(rows(heldSums, 0), true);
  }

  private static List<MultiGauge.Row<?>> rows(Map<String, long[]> sums, int at) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    sums.forEach((flow, v) -> rows.add(MultiGauge.Row.of(Tags.of("flow", flow), v[at])));
    return rows;
  }
}
