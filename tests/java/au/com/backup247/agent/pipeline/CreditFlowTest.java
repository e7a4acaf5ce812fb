package au.com.backup247.agent.pipeline;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  @Test
  void slowReceiver_neverHasMoreThanItsWindowInFlight(Vertx vertx) throws Exception {
    List<Promise<Void>> pending = new CopyOnWriteArrayList<>();
    CreditFlow.<Integer>receive(vertx, "test.items", 3, item -> {
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    }).await();
    CreditFlow.Sender<Integer> sender = CreditFlow.Sender.<Integer>create(vertx, "test.items", new DeliveryOptions()).await();
    List<Future<Void>> sent = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 10; i++) {
        sent.add(sender.send(i));
      }
    });
    await("three deliveries", () -> pending.size() == 3);
    Thread.sleep(200); // a window in which no fourth delivery may come (nothing to wait for)
    assertEquals(3, pending.size(), "more than the window was delivered");
    assertEquals(3, sent.stream().filter(Future::isComplete).count());
    vertx.runOnContext(v -> pending.get(0).complete());
    await("a fourth delivery after one credit", () -> pending.size() == 4);
    Thread.sleep(100); // and no fifth
    assertEquals(4, pending.size());
    vertx.runOnContext(v -> pending.forEach(p -> p.tryComplete()));
    await("all ten", () -> {
      vertx.runOnContext(v -> pending.forEach(p -> p.tryComplete()));
      return pending.size() == 10;
    });
  }

  @Test
  void uploaders_writeTheSameBlocks_andAFailingDestinationFailsAlone(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path good = dir.resolve("good");
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("blocks"), "a file where the blocks folder should be");
    List<Messages.Written> results = new CopyOnWriteArrayList<>();
    Messages.register(vertx);
    vertx.eventBus().<Messages.Written>consumer("up.written", m -> results.add(m.body())).completion().await();
    int i = 0;
    for (Path d : List.of(good, bad)) {
      vertx.deployVerticle(new UploaderVerticle(new LocalStore(d), "up." + i, "up.written", i, 2),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();
      i++;
    }
    CreditFlow.Sender<Messages.Block> toGood = CreditFlow.Sender.<Messages.Block>create(vertx, "up.0",
        new DeliveryOptions()).await();
    CreditFlow.Sender<Messages.Block> toBad = CreditFlow.Sender.<Messages.Block>create(vertx, "up.1",
        new DeliveryOptions()).await();
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
  }
}
