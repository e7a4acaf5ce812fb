package au.com.backup247.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.CreditFlow;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
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
    Thread.sleep(200);
    assertEquals(3, pending.size(), "more than the window was delivered");
    assertEquals(3, sent.stream().filter(Future::isComplete).count());
    vertx.runOnContext(v -> pending.get(0).complete());
    await("a fourth delivery after one credit", () -> pending.size() == 4);
    Thread.sleep(100);
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
    for (String[] d : new String[][] {{"up.good", good.toString()}, {"up.bad", bad.toString()}}) {
      vertx.deployVerticle(new UploaderVerticle(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
          .setConfig(new JsonObject().put("address", d[0]).put("repo", d[1]).put("window", 2))).await();
    }
    List<JsonObject> results = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("up.good.written", m -> results.add(m.body().put("dest", "good")))
        .completion().await();
    vertx.eventBus().<JsonObject>consumer("up.bad.written", m -> results.add(m.body().put("dest", "bad")))
        .completion().await();
    CreditFlow.Sender<JsonObject> toGood = CreditFlow.Sender.<JsonObject>create(vertx, "up.good", new DeliveryOptions()).await();
    CreditFlow.Sender<JsonObject> toBad = CreditFlow.Sender.<JsonObject>create(vertx, "up.bad", new DeliveryOptions()).await();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 5; i++) {
        JsonObject block = new JsonObject().put("path", "blocks/job/b" + i + ".bak").put("bytes", new byte[1000 + i]);
        toGood.send(block);
        toBad.send(block.copy());
      }
    });
    await("ten results", () -> results.size() == 10);
    for (int i = 0; i < 5; i++) {
      assertEquals(1000 + i, Files.size(good.resolve("blocks/job/b" + i + ".bak")));
    }
    assertTrue(results.stream().filter(r -> r.getString("dest").equals("good")).allMatch(r -> r.getBoolean("ok")));
    assertTrue(results.stream().filter(r -> r.getString("dest").equals("bad")).noneMatch(r -> r.getBoolean("ok")));
    assertFalse(results.stream().filter(r -> r.getString("dest").equals("bad")).anyMatch(r -> r.getString("error") == null));
  }
}
