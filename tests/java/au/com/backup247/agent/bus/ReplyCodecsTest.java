package au.com.backup247.agent.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What crosses the wire of a cluster keeps every part of a reply failure: fields, key and arguments. */
class ReplyCodecsTest {
  private static <T> T roundTrip(MessageCodec<T, T> codec, T reply) {
    Buffer wire = Buffer.buffer().appendString("xx");
    codec.encodeToWire(wire, reply);
    return codec.decodeFromWire(2, wire);
  }

  @Test
  void keyedAndValidationReplies_crossTheWireWhole() {
    AgentException sent = AgentException.of(Failure.NOT_FOUND, "e.set.notFound", 42);
    AgentException got = AgentException.from(roundTrip(KeyedReply.codec(), (KeyedReply) sent.toReply()));
    assertEquals(Failure.NOT_FOUND, got.failure());
    assertEquals("no backup set with id 42", got.getMessage());
    assertEquals("aucun jeu de sauvegarde avec l'id 42", got.message("fr"));
    assertEquals(List.of("42"), got.args());

    JsonArray fields = new JsonArray().add(new JsonObject().put("field", "name").put("message", "must not be blank"));
    ValidationReply v = roundTrip(ValidationReply.codec(), new ValidationReply("bad", fields));
    assertEquals("bad", v.getMessage());
    assertEquals(fields, v.fields());
  }
}
