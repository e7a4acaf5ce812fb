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
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The {@link CreditFlow}s open on one Vert.x instance, so the agent's metrics can show how full each
 * stage's queues are (and how many bytes a stage holds, {@link #trackBytes}). Flows are kept only on an instance where {@link #watch} was called (the agent
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
    /** {@code waiting}: items waiting for a credit; {@code inHand}: 0; {@code credits}: credits held. */
    SENDER,
    /**
     * {@code waiting}: items in its queue, not handed to its stage yet; {@code inHand}: the one its
     * stage is handling (0 or 1); {@code credits}: the window.
     */
    RECEIVER
  }

  /** One end of one flow, as read now. */
  public record Sample(String flow, Side side, int waiting, int inHand, int credits) {
  }

  /** Bytes a stage holds (named like a flow), as read now. */
  public record Held(String name, long bytes) {
  }

  private record Flow(String name, Side side, MessageConsumer<?> consumer, IntSupplier waiting,
      IntSupplier inHand, IntSupplier credits) {
  }

  private record Bytes(String name, MessageConsumer<?> consumer, LongSupplier bytes) {
  }

  private final Set<Flow> flows = ConcurrentHashMap.newKeySet();
  private final Set<Bytes> bytes = ConcurrentHashMap.newKeySet();

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
      IntSupplier inHand, IntSupplier credits) {
    LiveFlows live = live(vertx);
    if (live != null) {
      live.prune();
      live.flows.add(new Flow(name(address), side, consumer, waiting, inHand, credits));
    }
  }

  /**
   * Records the bytes a stage holds ({@code bytes}, read from the scraping thread) under the name of
   * {@code address}, for as long as {@code consumer} (one of the stage's) is registered.
   */
  public static void trackBytes(Vertx vertx, String address, MessageConsumer<?> consumer, LongSupplier bytes) {
    LiveFlows live = live(vertx);
    if (live != null) {
      live.prune();
      live.bytes.add(new Bytes(name(address), consumer, bytes));
    }
  }

  private static LiveFlows live(Vertx vertx) {
    return vertx.sharedData().<String, LiveFlows>getLocalMap(MAP).get(MAP);
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
      out.add(new Sample(f.name(), f.side(), Math.max(0, f.waiting().getAsInt()), f.inHand().getAsInt(),
          f.credits().getAsInt()));
    }
    return out;
  }

  /** Every stage's held bytes, read now. */
  public List<Held> held() {
    prune();
    List<Held> out = new ArrayList<>();
    for (Bytes b : bytes) {
      out.add(new Held(b.name(), b.bytes().getAsLong()));
    }
    return out;
  }

  private void prune() {
    flows.removeIf(f -> !f.consumer().isRegistered());
    bytes.removeIf(b -> !b.consumer().isRegistered());
  }
}
