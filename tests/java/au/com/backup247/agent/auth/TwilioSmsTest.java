package au.com.backup247.agent.auth;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TwilioSms against a real HTTP server on loopback that speaks Twilio's Messages API: Twilio itself
 * cannot be reached from where the tests run. The server checks what Twilio checks (method, path,
 * Basic auth with the account SID and token, form fields To, From, Body) and answers as Twilio
 * does: 201 with a Message resource, or an error resource {@code {code, message, more_info, status}}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TwilioSmsTest {
  private static final String SID = FakeTwilio.SID;
  private static final String TOKEN = "secret-auth-token-9f8e7d";
  private static final String FROM = "+15005550006";
  private static final String TO = "+61412345689";
  private static final String TEXT = "Your B247 passcode is 482913";
  /** Well under the test's limit, so a gateway that never answers shows the client's own error. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private FakeTwilio twilio;
  private List<FakeTwilio.Seen> seen;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(TwilioSms.class);
  private String baseUrl;

  @BeforeEach
  void start(Vertx vertx) {
    twilio = new FakeTwilio(vertx);
    seen = twilio.seen;
    baseUrl = twilio.baseUrl();
    logs.start();
    log.setLevel(Level.INFO); // whatever configuration the test class path brings
    log.addAppender(logs);
  }

  @AfterEach
  void stop() {
    log.detachAppender(logs);
    log.setLevel(null);
    twilio.close();
  }

  private TwilioSms client(Vertx vertx, Duration timeout) {
    return new TwilioSms(vertx.createHttpClient(TwilioSms.options(timeout)), baseUrl, SID, TOKEN, FROM, timeout);
  }

  private AgentException failure(Future<Void> f) {
    Throwable t = assertThrows(Throwable.class, f::await);
    assertTrue(t instanceof AgentException, String.valueOf(t));
    assertFalse(t.getMessage().contains(TOKEN) || t.getMessage().contains("482913"), t.getMessage());
    return (AgentException) t;
  }

  @Test
  void send_postsTheFormToTheMessagesResource_withBasicAuth(Vertx vertx) {
    client(vertx, TIMEOUT).send(TO, TEXT, "en").await();
    assertEquals(1, seen.size());
    FakeTwilio.Seen s = seen.get(0);
    assertEquals("POST", s.method());
    assertEquals("/2010-04-01/Accounts/" + SID + "/Messages.json", s.path());
    assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)),
        s.authorization());
    assertTrue(s.contentType().startsWith("application/x-www-form-urlencoded"), s.contentType());
    assertEquals(TO, s.form().get("To"));
    assertEquals(FROM, s.form().get("From"));
    assertEquals(TEXT, s.form().get("Body"));
    assertEquals(3, s.form().size());
  }

  @Test
  void create_readsTheTokenFromItsFile(Vertx vertx, @TempDir Path home) throws Exception {
    Files.writeString(home.resolve("sms.token"), TOKEN + "\n");
    Files.setPosixFilePermissions(home.resolve("sms.token"), PosixFilePermissions.fromString("rw-------"));
    SmsSettings settings = SmsSettings.fromJson(new JsonObject().put("enabled", true).put("baseUrl", baseUrl)
        .put("accountSid", SID).put("authTokenFile", "sms.token").put("from", FROM), "agent.json");
    TwilioSms.create(vertx, settings, home, TIMEOUT).send(TO, TEXT, "en").await();
    assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)),
        seen.get(0).authorization());
  }

  @Test
  void aRefusedNumber_isABadRequestWithTwilioCodeAndMessage(Vertx vertx) {
    twilio.answer = FakeTwilio.error(400, 21211, "The 'To' number +61412345689 is not a valid phone number.");
    AgentException e = failure(client(vertx, TIMEOUT).send(TO, TEXT, "en"));
    assertEquals(Failure.BAD_REQUEST, e.failure());
    assertEquals("SMS gateway twilio (" + baseUrl + ") refused the message to +61 4•• ••• •89 (400, Twilio error "
        + "21211: The 'To' number +61412345689 is not a valid phone number.)", e.getMessage());
    assertEquals("la passerelle SMS twilio (" + baseUrl + ") a refusé le message destiné au +61 4•• ••• •89 (400, "
        + "erreur Twilio 21211 : The 'To' number +61412345689 is not a valid phone number.)",
        failure(client(vertx, TIMEOUT).send(TO, TEXT, "fr")).getMessage(), "in the reader's language");
  }

  @Test
  void aWrongToken_saysWhichSettingsToCheck(Vertx vertx) {
    twilio.answer = FakeTwilio.error(401, 20003, "Authenticate");
    AgentException e = failure(client(vertx, TIMEOUT).send(TO, TEXT, "en"));
    assertEquals(Failure.UNAVAILABLE, e.failure());
    assertEquals("SMS gateway twilio (" + baseUrl + ") refused the account SID or auth token (401, Twilio error 20003: "
        + "Authenticate); check auth.sms.accountSid and auth.sms.authTokenFile", e.getMessage());
  }

  @Test
  void rateLimited_isTooManyRequests(Vertx vertx) {
    twilio.answer = FakeTwilio.error(429, 20429, "Too Many Requests");
    assertEquals(Failure.TOO_MANY_REQUESTS, failure(client(vertx, TIMEOUT).send(TO, TEXT, "en")).failure());
  }

  @Test
  void aServerError_withoutJson_isUnavailable(Vertx vertx) {
    twilio.answer = req -> req.response().setStatusCode(503).putHeader("Content-Type", "text/html").end("<html>down</html>");
    AgentException e = failure(client(vertx, TIMEOUT).send(TO, TEXT, "en"));
    assertEquals(Failure.UNAVAILABLE, e.failure());
    assertEquals("SMS gateway twilio (" + baseUrl + ") failed (503 Service Unavailable); try again later",
        e.getMessage());
    assertEquals("la passerelle SMS twilio (" + baseUrl + ") a échoué (503 Service Unavailable) ; réessayez plus tard",
        failure(client(vertx, TIMEOUT).send(TO, TEXT, "fr")).getMessage());
  }

  @Test
  void noServer_isUnavailableNamingTheGateway(Vertx vertx) {
    twilio.close();
    AgentException e = failure(client(vertx, TIMEOUT).send(TO, TEXT, "en"));
    assertEquals(Failure.UNAVAILABLE, e.failure());
    assertTrue(e.getMessage().startsWith("SMS gateway twilio (" + baseUrl + ") cannot be reached: "), e.getMessage());
  }

  @Test
  void noAnswer_failsAfterTheTimeout(Vertx vertx) {
    twilio.answer = req -> { };
    Duration timeout = Duration.ofMillis(300);
    TwilioSms sms = new TwilioSms(vertx.createHttpClient(TwilioSms.options(timeout)), baseUrl, SID, TOKEN, FROM,
        timeout, TIMEOUT); // the deadline well after the timeout: this is the timeout's error
    AgentException e = failure(sms.send(TO, TEXT, "en"));
    assertEquals(Failure.UNAVAILABLE, e.failure());
    assertTrue(e.getMessage().startsWith("SMS gateway twilio (" + baseUrl + ") cannot be reached: "), e.getMessage());
  }

  /**
   * A gateway that starts an answer and never ends it (a space every 20 ms, so no idle timeout
   * notices) fails the send at its deadline, naming the gateway, and the request is reset (the
   * gateway sees its connection closed).
   */
  @Test
  void anAnswerThatNeverEnds_failsAtTheDeadline_andClosesTheConnection(Vertx vertx) {
    AtomicBoolean closed = new AtomicBoolean();
    twilio.answer = req -> {
      HttpServerResponse resp = req.response().setStatusCode(201).setChunked(true)
          .putHeader("Content-Type", "application/json");
      resp.write("{");
      long drip = vertx.setPeriodic(20, id -> resp.write(" "));
      resp.closeHandler(v -> {
        vertx.cancelTimer(drip);
        closed.set(true);
      });
    };
    TwilioSms sms = new TwilioSms(vertx.createHttpClient(TwilioSms.options(TIMEOUT)), baseUrl, SID, TOKEN, FROM,
        TIMEOUT, Duration.ofMillis(500));
    AgentException e = failure(sms.send(TO, TEXT, "en"));
    assertEquals(Failure.UNAVAILABLE, e.failure());
    assertEquals("SMS gateway twilio (" + baseUrl + ") did not answer within 0.5 s; try again later", e.getMessage());
    eventually(Duration.ofSeconds(20), () -> assertTrue(closed.get(), "the gateway's connection is closed"));
    assertEquals("la passerelle SMS twilio (" + baseUrl + ") n'a pas répondu en 0.5 s ; réessayez plus tard",
        failure(sms.send(TO, TEXT, "fr")).getMessage());
  }

  @Test
  void aNumberNotInInternationalFormat_isRefusedBeforeSending(Vertx vertx) {
    AgentException e = failure(client(vertx, TIMEOUT).send("0412345689", TEXT, "en"));
    assertEquals(Failure.BAD_REQUEST, e.failure());
    assertTrue(seen.isEmpty());
  }

  @Test
  void https_isTls_checkedAgainstTrustedCertificates(Vertx vertx) {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
        .requestHandler(req -> req.end().onSuccess(v -> FakeTwilio.created(req))).listen(0, "127.0.0.1").await();
    String url = "https://localhost:" + tls.actualPort();
    try {
      AgentException e = failure(new TwilioSms(vertx.createHttpClient(), url, SID, TOKEN, FROM, TIMEOUT)
          .send(TO, TEXT, "en"));
      assertTrue(e.getMessage().startsWith("SMS gateway twilio (" + url + ") cannot be reached: SSLHandshakeException"),
          e.getMessage());
      HttpClient trusting = vertx.createHttpClient(new HttpClientOptions().setTrustOptions(cert.trustOptions()));
      new TwilioSms(trusting, url, SID, TOKEN, FROM, TIMEOUT).send(TO, TEXT, "en").await();
    } finally {
      tls.close().await();
      cert.delete();
    }
  }

  @Test
  void logs_nameTheMaskedNumber_neverTheTokenOrTheText(Vertx vertx) {
    TwilioSms sms = client(vertx, TIMEOUT);
    sms.send(TO, TEXT, "en").await();
    twilio.answer = FakeTwilio.error(401, 20003, "Authenticate");
    failure(sms.send(TO, TEXT, "en"));
    assertFalse(logs.list.isEmpty());
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage();
      assertFalse(line.contains(TOKEN) || line.contains("482913") || line.contains(TO), line);
    }
    assertTrue(logs.list.get(0).getFormattedMessage().contains("+61 4•• ••• •89"));
  }
}
