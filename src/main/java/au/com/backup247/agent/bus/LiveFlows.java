package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The {@link CreditFlow}s open on one Vert.x instance, so the agent's metrics can show how full each
 * stage's queues are. Flows are kept only on an instance where {@link #watch} was called (the agent
 * does at start); elsewhere tracking costs one map lookup per flow created and nothing per item.
 *
 * <p>A flow is named by its address with every UUID replaced by {@code *} (a backup's stages
 * talk on {@code b247.backup.<uuid>.chunk.0} ...), so concurrent jobs add up under one name and the
 * names stay few. A flow leaves once its consumer is unregistered (its verticle undeployed).
 * Values are read from the scraping thread without locks: a sample may be a moment old.
 */
public final class LiveFlows implements Shareable {
  private static final String MAP = "b247.bus.live-flows";
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Which end of a flow a sample describes. */
  public enum Side {
    /** {@code waiting}: items waiting for a credit; {@code credits}: credits held. */
    SENDER,
    /** {@code waiting}: items received and not handled yet; {@code credits}: the window. */
    RECEIVER
  }

  /** One end of one flow, as read now. */
  public record Sample(String flow, Side side, int waiting, int credits) {
  }

  private record Flow(String name, Side side, MessageConsumer<?> consumer, IntSupplier waiting,
      IntSupplier credits) {
  }

  private final Set<Flow> flows = ConcurrentHashMap.newKeySet();

  private LiveFlows() {
  }

  /** Starts keeping the flows of {@code vertx} (idempotent); returns them. */
  public static LiveFlows watch(Vertx vertx) {
    LocalMap<String, LiveFlows> map = vertx.sharedData().getLocalMap(MAP);
    LiveFlows mine = new LiveFlows();
    LiveFlows had = map.putIfAbsent(MAP, mine);
    return had == null ? mine : had;
  }

  /** Records one end of a flow on {@code vertx}, when its flows are watched. */
  static void track(Vertx vertx, String address, Side side, MessageConsumer<?> consumer, IntSupplier waiting,
      IntSupplier credits) {
    LiveFlows live = vertx.sharedData().<String, LiveFlows>getLocalMap(MAP).get(MAP);
    if (live != null) {
      live.prune();
      live.flows.add(new Flow(name(address), side, consumer, waiting, credits));
    }
  }

  /** The flow's name: its address with every UUID replaced by {@code *}. */
  static String name(String address) {
    return UUID.matcher(address).replaceAll("*");
  }

  /** Every open flow end, read now (the ones whose consumer is gone are dropped). */
  public List<Sample> samples() {
    prune();
    List<Sample> out = new ArrayList<>();
    for (Flow f : flows) {
      out.add(new Sample(f.name(), f.side(), Math.max(0, f.waiting().getAsInt()), f.credits().getAsInt()));
    }
    return out;
  }

  private void prune() {
    flows.removeIf(f -> !f.consumer().isRegistered());
  }
}
