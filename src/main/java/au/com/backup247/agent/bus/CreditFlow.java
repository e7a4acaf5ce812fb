package au.com.backup247.agent.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * One sender per receiver; the receiver must be registered before the sender is created. The
 * receiver ({@link Receiver}) queues what arrives and hands its stage one item at a time.
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
    private final Deque<Waiting<T>> waiting = new ArrayDeque<>();
    private final MessageConsumer<Integer> creditConsumer;
    private int credits;

    /** An item waiting for a credit, and the future its {@link #send} returned. */
    private record Waiting<T>(T item, Promise<Void> sent) {
    }

    private Sender(Vertx vertx, String address, DeliveryOptions options) {
      this.vertx = vertx;
      this.address = address;
      this.options = options;
      this.creditConsumer = vertx.eventBus().consumer(creditsAddress(address), m -> grant(m.body()));
      LiveFlows.track(vertx, address, LiveFlows.Side.SENDER, creditConsumer, waiting::size, () -> 0, () -> credits);
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
        Waiting<T> w = waiting.poll();
        credits--;
        deliver(w.item(), w.sent());
      }
    }

    private void deliver(T item, Promise<Void> sent) {
      vertx.eventBus().send(address, item, options);
      sent.complete();
    }

    /** Sends {@code item} as soon as a credit is available. */
    public Future<Void> send(T item) {
      Promise<Void> p = Promise.promise();
      if (credits > 0 && waiting.isEmpty()) {
        credits--;
        deliver(item, p);
      } else {
        waiting.add(new Waiting<>(item, p));
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
   * Registers the receiving side on {@code address}: see {@link Receiver}. Call it from the context the
   * items are to be handled on (a verticle's {@code start}); fails when {@code window < 1}.
   */
  public static <T> Future<Receiver<T>> receive(Vertx vertx, String address, int window,
      Function<T, Future<?>> handler) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    Receiver<T> r = new Receiver<>(vertx, address, window, handler);
    return Future.all(r.consumer.completion(), r.hello.completion()).map(v -> r);
  }

  /**
   * The receiving side: queues the items that arrive (at most {@code window}, as the sender holds no
   * more credits than that) and hands them to {@code handler} one at a time, in arrival order: the
   * next only once the future the handler returned for the previous one has completed (either way;
   * a handler reports its own failures), each time granting the sender one credit. The handler is
   * never re-entered and always runs on the context that registered the receiver (a future completed
   * elsewhere brings the next item back to it), so a stage is simply "handle one item, return a
   * future" and keeps no queue of its own.
   *
   * <pre>
   *  bus ──item──▶ queue (≤ window) ──one at a time──▶ handler ──future done──▶ credit to the sender
   * </pre>
   */
  public static final class Receiver<T> {
    private final Vertx vertx;
    private final String address;
    private final Function<T, Future<?>> handler;
    private final Deque<T> queue = new ArrayDeque<>();
    private final List<Promise<Void>> idleWaiters = new ArrayList<>();
    private final MessageConsumer<T> consumer;
    private final MessageConsumer<Object> hello;
    private Context home;
    private boolean handling;
    private int unsent;

    private Receiver(Vertx vertx, String address, int window, Function<T, Future<?>> handler) {
      this.vertx = vertx;
      this.address = address;
      this.handler = handler;
      this.unsent = window;
      this.consumer = vertx.eventBus().consumer(address, m -> arrived(m.body()));
      LiveFlows.track(vertx, address, LiveFlows.Side.RECEIVER, consumer, queue::size, () -> handling ? 1 : 0,
          () -> window);
      this.hello = vertx.eventBus().consumer(address + ".hello", m -> {
        vertx.eventBus().send(creditsAddress(address), unsent);
        unsent = 0;
        m.reply(null);
      });
    }

    private void arrived(T item) {
      home = Vertx.currentContext();
      queue.add(item);
      next();
    }

    /** Hands queued items to the handler while each one's future is already complete. */
    private void next() {
      while (!handling && !queue.isEmpty()) {
        handling = true;
        Future<?> f;
        try {
          f = handler.apply(queue.poll());
        } catch (RuntimeException e) {
          home.runOnContext(v -> {
            throw e; // to the context's exception handler (Vert.x logs it); the item counts as handled
          });
          f = Future.succeededFuture();
        }
        if (!f.isComplete()) {
          f.onComplete(ar -> home.runOnContext(v -> {
            handled();
            next();
          }));
          return;
        }
        handled();
      }
      if (!handling && queue.isEmpty() && !idleWaiters.isEmpty()) {
        List<Promise<Void>> waiters = new ArrayList<>(idleWaiters);
        idleWaiters.clear();
        waiters.forEach(Promise::complete);
      }
    }

    private void handled() {
      handling = false;
      vertx.eventBus().send(creditsAddress(address), 1);
    }

    /** Items received and not handed to the handler yet (read on the receiver's context). */
    public int queued() {
      return queue.size();
    }

    /**
     * Completes once every item received so far has been handled (on the receiver's context: call it
     * from there, e.g. to wait before a step that must see every item that arrived before it).
     */
    public Future<Void> idle() {
      if (!handling && queue.isEmpty()) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      idleWaiters.add(p);
      return p.future();
    }

    /** The event-bus consumer the items arrive on. */
    public MessageConsumer<T> consumer() {
      return consumer;
    }

    public Future<Void> close() {
      return Future.join(consumer.unregister(), hello.unregister()).mapEmpty();
    }
  }
}
