package au.com.backup247.agent.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A stand-in for Twilio's Messages API on loopback (Twilio itself cannot be reached from the test
 * machines; also the console tests' gateway): an HTTP server that records each request and answers as Twilio does — 201 with a
 * Message, or a Twilio error JSON. Each answer closes its connection: every request of a test starts
 * on a fresh one (a kept-alive connection once left a request unanswered in a long test run).
 */
public final class FakeTwilio implements AutoCloseable {
  public static final String SID = "AC0123456789abcdef0123456789abcdef";

  /** One request as the server saw it. */
  record Seen(String method, String path, String authorization, String contentType, MultiMap form) {
  }

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile Consumer<HttpServerRequest> answer = FakeTwilio::created;
  private final HttpServer server;

  public FakeTwilio(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> {
      req.setExpectMultipart(true);
      req.end().onSuccess(v -> {
        seen.add(new Seen(req.method().name(), req.path(), req.getHeader("Authorization"),
            req.getHeader("Content-Type"), req.formAttributes()));
        answer.accept(req);
      });
    }).listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** How many messages were sent so far. */
  public int count() {
    return seen.size();
  }

  /** The text of the last message sent. */
  public String lastBody() {
    return seen.get(seen.size() - 1).form().get("Body");
  }

  /** As Twilio answers a message it accepted. */
  static void created(HttpServerRequest req) {
    JsonObject message = new JsonObject().put("sid", "SM1234567890abcdef1234567890abcdef").put("status", "queued")
        .put("to", req.formAttributes().get("To")).put("from", req.formAttributes().get("From"))
        .put("body", req.formAttributes().get("Body")).put("account_sid", SID).put("api_version", "2010-04-01");
    req.response().setStatusCode(201).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(message.encode());
  }

  /** As Twilio answers an error. */
  static Consumer<HttpServerRequest> error(int status, int code, String message) {
    return req -> req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").end(new JsonObject().put("code", code).put("message", message)
            .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status).encode());
  }

  @Override
  public void close() {
    server.close().await();
  }
}
