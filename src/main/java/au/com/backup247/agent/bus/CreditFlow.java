package au.com.backup247.agent.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Credit-based backpressure over the event bus, which has none for senders.
 *
 * <pre>
 *  Sender                                   Receiver
 *    |  ------ item (address) ------------->  |  handles it (a Future)
 *    |  ------ hello (address.hello) ------->  |
 *    |  <----- credits n (address.credits) -- |  grants its window on hello, then 1 per item handled
 * </pre>
 *
 * One sender per receiver; the receiver must be registered before the sender is created.
 *
 * The sender sends at most as many items as it holds credits; {@link Sender#send} returns a future
 * that completes once the item was handed to the bus, so a producer that waits for it never has
 * more than N items in flight towards one receiver. Both sides must be used from a Vert.x context.
 * Each end is listed in {@link LiveFlows} (the agent's metrics: queued items and credits per flow).
 */
public final class CreditFlow {
  private CreditFlow() {
  }

  public static String creditsAddress(String address) {
    return address + ".credits";
  }

  /** The sending side: holds credits, queues sends while it has none. */
  public static final class Sender<T> {
    private final Vertx vertx;
    private final String address;
    private final DeliveryOptions options;
    private final Deque<Object[]> waiting = new ArrayDeque<>();
    private final MessageConsumer<Integer> creditConsumer;
    private int credits;

    private Sender(Vertx vertx, String address, DeliveryOptions options) {
      this.vertx = vertx;
      this.address = address;
      this.options = options;
      this.creditConsumer = vertx.eventBus().consumer(creditsAddress(address), m -> grant(m.body()));
      LiveFlows.track(vertx, address, LiveFlows.Side.SENDER, creditConsumer, waiting::size, () -> credits);
    }

    /** Creates a sender and asks the receiver for its window; fails when no receiver is registered. */
    public static <T> Future<Sender<T>> create(Vertx vertx, String address, DeliveryOptions options) {
      Sender<T> s = new Sender<>(vertx, address, options);
      return s.creditConsumer.completion()
          .compose(v -> vertx.eventBus().request(address + ".hello", null))
          .map(v -> s);
    }

    private void grant(int n) {
      credits += n;
      while (credits > 0 && !waiting.isEmpty()) {
        Object[] w = waiting.poll();
        credits--;
        deliver(w[0], w[1]);
      }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object item, Object promise) {
      vertx.eventBus().send(address, item, options);
      ((Promise<Void>) promise).complete();
    }

    /** Sends {@code item} as soon as a credit is available. */
    public Future<Void> send(T item) {
      Promise<Void> p = Promise.promise();
      if (credits > 0 && waiting.isEmpty()) {
        credits--;
        deliver(item, p);
      } else {
        waiting.add(new Object[] {item, p});
      }
      return p.future();
    }

    /** Credits currently held (for tests and metrics). */
    public int credits() {
      return credits;
    }

    public Future<Void> close() {
      return creditConsumer.unregister();
    }
  }

  /**
   * The receiving side: handles items one at a time with {@code handler} and grants a credit
   * each time one is done, so at most {@code window} items are ever queued for it.
   */
  public static <T> Future<MessageConsumer<T>> receive(Vertx vertx, String address, int window,
      Function<T, Future<?>> handler) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    MessageConsumer<T> c = vertx.eventBus().consumer(address);
    int[] inHand = {0};
    c.handler(m -> {
      inHand[0]++;
      handler.apply(m.body()).onComplete(ar -> {
        inHand[0]--;
        vertx.eventBus().send(creditsAddress(address), 1);
      });
    });
    LiveFlows.track(vertx, address, LiveFlows.Side.RECEIVER, c, () -> inHand[0], () -> window);
    int[] unsent = {window};
    MessageConsumer<Object> hello = vertx.eventBus().consumer(address + ".hello", m -> {
      vertx.eventBus().send(creditsAddress(address), unsent[0]);
      unsent[0] = 0;
      m.reply(null);
    });
    return Future.all(c.completion(), hello.completion()).map(v -> c);
  }
}
