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
 *  b247_flow_in_hand{flow}   items a receiver took and has not finished
 *  b247_flow_window{flow}    the receiver's window; window - credits - in_hand: items on their way
 *                            (on the bus, or queued for a worker stage's thread)
 * </pre>
 *
 * A flow that closed disappears at the next scrape.
 */
final class FlowMeters {
  private final MultiGauge queued;
  private final MultiGauge credits;
  private final MultiGauge inHand;
  private final MultiGauge window;

  FlowMeters(MeterRegistry registry) {
    queued = gauge(registry, "b247.flow.queued", "Items a stage holds until the next stage grants a credit");
    credits = gauge(registry, "b247.flow.credits", "Credits a stage holds towards the next stage");
    inHand = gauge(registry, "b247.flow.in.hand", "Items a stage received and has not finished");
    window = gauge(registry, "b247.flow.window", "Items a stage accepts at once");
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  /** Sets every row from {@code samples}; flows no longer open lose their rows. */
  void update(List<LiveFlows.Sample> samples) {
    Map<String, int[]> sums = new TreeMap<>();
    for (LiveFlows.Sample s : samples) {
      int[] v = sums.computeIfAbsent(s.flow(), k -> new int[4]);
      int at = s.side() == LiveFlows.Side.SENDER ? 0 : 2;
      v[at] += s.waiting();
      v[at + 1] += s.credits();
    }
    queued.register(rows(sums, 0), true);
    credits.register(rows(sums, 1), true);
    inHand.register(rows(sums, 2), true);
    window.register(rows(sums, 3), true);
  }

  private static List<MultiGauge.Row<?>> rows(Map<String, int[]> sums, int at) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    sums.forEach((flow, v) -> rows.add(MultiGauge.Row.of(Tags.of("flow", flow), v[at])));
    return rows;
  }
}
