package au.com.backup247.agent.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The one bus client against a real event bus and the one binder: every failure comes back as an AgentException. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BusClientTest {

  private static AgentException failure(Future<?> f) {
    Throwable t = assertThrows(Throwable.class, f::await);
    assertTrue(t instanceof AgentException, t.toString());
    return (AgentException) t;
  }

  @Test
  void answers_andCodedFailures_keepTheirKey(Vertx vertx) {
    BusService.bind(vertx, "test.echo", b -> b.getBoolean("fail", false)
        ? Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.set.notFound", 42))
        : Future.succeededFuture(b.copy().put("echo", true)), "test service",
        LoggerFactory.getLogger(BusClientTest.class)).await();
    assertEquals(true, BusClient.request(vertx, "test.echo", new JsonObject()).await().getBoolean("echo"));
    AgentException e = failure(BusClient.request(vertx, "test.echo", new JsonObject().put("fail", true)));
    assertEquals(Failure.NOT_FOUND, e.failure());
    assertEquals("e.set.notFound", e.key());
  }

  @Test
  void noServiceIsUnavailable_andNoAnswerInTimeIsATimeout(Vertx vertx) {
    assertEquals(Failure.UNAVAILABLE, failure(BusClient.request(vertx, "test.nobody", new JsonObject())).failure());
    vertx.eventBus().consumer("test.silent", m -> { }).completion().await();
    assertEquals(Failure.TIMEOUT, failure(BusClient.request(vertx, "test.silent", new JsonObject(), 100)).failure());
  }

  @Test
  void unexpectedFailures_areAnsweredAsTheServiceSays(Vertx vertx) {
    BusService.bind(vertx, "test.broken", b -> {
      throw new IllegalStateException("boom");
    }, "test service", LoggerFactory.getLogger(BusClientTest.class)).await();
    AgentException internal = failure(BusClient.request(vertx, "test.broken", new JsonObject()));
    assertEquals(Failure.INTERNAL, internal.failure());
    assertEquals("internal error in the test service; see the agent log", internal.getMessage());

    BusService.Unexpected asUnavailable = new BusService.Unexpected() {
      @Override
      public Throwable thrown(String address, RuntimeException e) {
        return new AgentException(Failure.BAD_REQUEST, address + ": " + e.getMessage());
      }

      @Override
      public io.vertx.core.eventbus.ReplyException failed(String address, Throwable err) {
        return new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
            Failure.UNAVAILABLE.busCode(), "store error: " + err.getMessage());
      }
    };
    BusService.bind(vertx, "test.store", b -> {
      if (b.containsKey("bad")) {
        throw new IllegalArgumentException("no id");
      }
      return Future.failedFuture(new IllegalStateException("disk gone"));
    }, asUnavailable, LoggerFactory.getLogger(BusClientTest.class)).await();
    AgentException bad = failure(BusClient.request(vertx, "test.store", new JsonObject().put("bad", true)));
    assertEquals(Failure.BAD_REQUEST, bad.failure());
    assertEquals("test.store: no id", bad.getMessage());
    AgentException down = failure(BusClient.request(vertx, "test.store", new JsonObject()));
    assertEquals(Failure.UNAVAILABLE, down.failure());
    assertEquals("store error: disk gone", down.getMessage());
  }
}
