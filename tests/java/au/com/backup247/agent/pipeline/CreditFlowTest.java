package au.com.backup247.agent.pipeline;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.config.VerticlesSpec;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CreditFlowTest {

  private static void await(String what, java.util.function.BooleanSupplier cond) {
    eventually(Duration.ofSeconds(20), () -> assertTrue(cond.getAsBoolean(), "waiting for " + what));
  }

  /** Reads {@code value} on {@code ctx} (the receiver's state belongs to its context). */
  private static <T> T on(Context ctx, Supplier<T> value) {
    CompletableFuture<T> f = new CompletableFuture<>();
    ctx.runOnContext(v -> f.complete(value.get()));
    return f.join();
  }

  /** A receiver and its sender, both on {@code ctx}. */
  private static <T> CreditFlow.Receiver<T> flow(Vertx vertx, Context ctx, String address, int window,
      Function<T, Future<?>> handler, List<CreditFlow.Sender<T>> sender) {
    CompletableFuture<CreditFlow.Receiver<T>> r = new CompletableFuture<>();
    ctx.runOnContext(v -> CreditFlow.receive(vertx, address, window, handler)
        .compose(rec -> CreditFlow.Sender.<T>create(vertx, address, new DeliveryOptions()).map(s -> {
          sender.add(s);
          return rec;
        })).onComplete(ar -> {
          if (ar.succeeded()) {
            r.complete(ar.result());
          } else {
            r.completeExceptionally(ar.cause());
          }
        }));
    return r.join();
  }

  @Test
  void items_areHandledOneAtATime_inOrder_onTheReceiversContext(Vertx vertx) {
    Context ctx = vertx.getOrCreateContext();
    List<Integer> handled = new CopyOnWriteArrayList<>();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger mostActive = new AtomicInteger();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    List<CreditFlow.Sender<Integer>> sender = new ArrayList<>();
    flow(vertx, ctx, "test.order", 4, (Integer item) -> {
      mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread());
      handled.add(item);
      Promise<Void> p = Promise.promise();
      Runnable finish = () -> {
        active.decrementAndGet();
        p.complete();
      };
      switch (item % 3) {
        case 0 -> finish.run(); // done at once
        case 1 -> ctx.runOnContext(v -> finish.run()); // later, on the receiver's context
        default -> vertx.executeBlocking(() -> { // later, on another thread
          finish.run();
          return null;
        });
      }
      return p.future();
    }, sender);
    ctx.runOnContext(v -> {
      for (int i = 0; i < 60; i++) {
        sender.get(0).send(i);
      }
    });
    await("sixty items handled", () -> handled.size() == 60);
    assertEquals(IntStream.range(0, 60).boxed().toList(), handled, "the order they were sent in");
    assertEquals(1, mostActive.get(), "the handler was entered again before its previous item was done");
    assertEquals(1, threads.size(), "always on the receiver's context: " + threads);
    await("the whole window back with the sender", () -> on(ctx, () -> sender.get(0).credits()) == 4);
  }

  @Test
  void slowHandler_holdsAtMostTheWindow_andEachDoneItemGrantsOneCredit(Vertx vertx) {
    Context ctx = vertx.getOrCreateContext();
    List<Promise<Void>> calls = new CopyOnWriteArrayList<>();
    List<Integer> inFlight = new CopyOnWriteArrayList<>();
    List<CreditFlow.Sender<Integer>> sender = new ArrayList<>();
    CreditFlow.Receiver<Integer>[] receiver = new CreditFlow.Receiver[1];
    receiver[0] = flow(vertx, ctx, "test.slow", 3, (Integer item) -> {
      inFlight.add(receiver[0].queued() + 1); // queued, and this one in hand
      Promise<Void> p = Promise.promise();
      calls.add(p);
      return p.future();
    }, sender);
    List<Future<Void>> sent = new CopyOnWriteArrayList<>();
    ctx.runOnContext(v -> {
      for (int i = 0; i < 10; i++) {
        sent.add(sender.get(0).send(i));
      }
    });
    await("one item in hand and two queued", () -> calls.size() == 1 && on(ctx, () -> receiver[0].queued()) == 2);
    assertEquals(0, (int) on(ctx, () -> sender.get(0).credits()), "the sender spent its window");
    assertEquals(3, on(ctx, () -> sent.stream().filter(Future::isComplete).count()), "three items left the sender");
    for (int k = 1; k <= 10; k++) {
      int done = k;
      ctx.runOnContext(v -> calls.get(done - 1).complete());
      int expectSent = Math.min(10, 3 + done);
      int expectStarted = Math.min(10, done + 1);
      await("item " + done + " done: one credit, one more item sent and queued", () -> on(ctx,
          () -> sent.stream().filter(Future::isComplete).count() == expectSent
              && receiver[0].queued() == expectSent - expectStarted) && calls.size() == expectStarted);
    }
    assertTrue(inFlight.stream().allMatch(n -> n <= 3), "never more than the window at the receiver: " + inFlight);
    await("the whole window back with the sender", () -> on(ctx, () -> sender.get(0).credits()) == 3);
    assertTrue(on(ctx, () -> receiver[0].idle().isComplete()), "idle once every item was handled");
  }

  /** Two uploaders of one run, deployed as a backup deploys them (verticles.json's upload stage). */
  @Test
  void uploaders_writeTheSameBlocks_andAFailingDestinationFailsAlone(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path good = dir.resolve("good");
    Path bad = dir.resolve("bad");
    Repository goodRepo = RepoFixture.init(good);
    Repository.initLike(new LocalStore(bad), goodRepo, RepoFixture.PASSWORD);
    Files.deleteIfExists(bad.resolve("blocks"));
    Files.writeString(bad.resolve("blocks"), "a file where the blocks folder should be");
    BackupJob job = BackupJob.create(List.of(goodRepo, RepoFixture.open(bad)), new BackupOptions(List.of(dir), false,
        1, Clock.systemUTC()), RepoFixture.jobLog(new ArrayList<>()));
    Runs.Run run = Runs.open(vertx, job, new HeldBytes());
    List<Messages.Written> results = new CopyOnWriteArrayList<>();
    Messages.register(vertx);
    vertx.eventBus().<Messages.Written>consumer(run.address("written"), m -> results.add(m.body())).completion()
        .await();
    for (int i = 0; i < 2; i++) {
      PipelineBackup.deploy(vertx, run, VerticlesSpec.pipelineOf(vertx).get("upload"), 2,
          new JsonObject().put("destination", i), new ArrayList<>(), new HashMap<>()).await();
    }
    CreditFlow.Sender<Messages.Block> toGood = CreditFlow.Sender.<Messages.Block>create(vertx,
        run.address("upload.0"), new DeliveryOptions()).await();
    CreditFlow.Sender<Messages.Block> toBad = CreditFlow.Sender.<Messages.Block>create(vertx,
        run.address("upload.1"), new DeliveryOptions()).await();
    vertx.runOnContext(v -> {
      for (int k = 0; k < 5; k++) {
        byte[] bytes = new byte[2000];
        Messages.Block block = new Messages.Block("blocks/job/b" + k + ".bak", bytes, 1000 + k);
        toGood.send(block);
        toBad.send(block);
      }
    });
    await("ten results", () -> results.size() == 10);
    for (int k = 0; k < 5; k++) {
      assertEquals(1000 + k, Files.size(good.resolve("blocks/job/b" + k + ".bak")));
    }
    assertTrue(results.stream().filter(r -> r.destination() == 0).allMatch(Messages.Written::ok));
    assertTrue(results.stream().filter(r -> r.destination() == 1).noneMatch(Messages.Written::ok));
    assertFalse(results.stream().filter(r -> r.destination() == 1).anyMatch(r -> r.error() == null));
    assertEquals(5010, job.uploaded(0), "the bytes written, counted in the job");
    assertEquals(0, job.uploaded(1));
    Runs.close(vertx, run);
  }
}
