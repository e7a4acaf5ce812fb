package au.com.backup247.agent.auth;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientForm;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text messages through Twilio's Messages API (or a service that speaks it):
 * <pre>
 * POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json
 * Authorization: Basic base64(AccountSid ":" AuthToken)
 * Content-Type: application/x-www-form-urlencoded
 *
 * To=%2B61412345678&amp;From=%2B15005550006&amp;Body=...
 *
 * → 201 {"sid": "SM…", "status": "queued", …}
 * → 4xx/5xx {"code": 21211, "message": "The 'To' number … is not a valid phone number.", "status": 400, …}
 * </pre>
 * Failures are {@link AgentException}s naming the gateway: 401/403 → {@code UNAVAILABLE} (check
 * the SID and token), 429 → {@code TOO_MANY_REQUESTS}, other 4xx → {@code BAD_REQUEST}, 5xx, no
 * answer or no connection → {@code UNAVAILABLE}; each with Twilio's code and message when it sent
 * them, in the language asked (log lines are English). The token and the message body (it holds the
 * passcode) are never logged nor put in an error.
 *
 * <p>A send ends within its deadline whatever the gateway does: the connection (from the pool or a
 * new one) must come within the timeout, the answer must not pause longer than the timeout, and the
 * whole exchange must be over by the deadline (twice the timeout), or it fails {@code UNAVAILABLE}
 * ("did not answer within …") and its request is reset. The deadline also covers a gateway that
 * keeps sending an answer that never ends, which no idle timeout notices.
 */
final class TwilioSms implements SmsGateway {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioSms.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final String url;
  private final String authorization;
  private final String from;
  private final Duration timeout;
  private final Duration deadline;
  private final String baseUrl;

  /**
   * A client for {@code settings}, with the token read from its file (blocking: call at start). A
   * passcode goes out now and then, so each message has a connection of its own: no pooled
   * connection that the gateway may have closed meanwhile.
   */
  public static TwilioSms create(Vertx vertx, SmsSettings settings, Path home) {
    return create(vertx, settings, home, TIMEOUT);
  }

  /** As {@link #create(Vertx, SmsSettings, Path)}, giving up on a connection or an answer after {@code timeout}. */
  static TwilioSms create(Vertx vertx, SmsSettings settings, Path home, Duration timeout) {
    return new TwilioSms(vertx.createHttpClient(options(timeout)), settings.baseUrl(), settings.accountSid(),
        settings.authToken(home), settings.from(), timeout);
  }

  /** The HTTP client options of the gateway: connect timeout, a new connection per message. */
  static HttpClientOptions options(Duration timeout) {
    return new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()).setKeepAlive(false);
  }

  /** Gives up on a connection or a pause in the answer after {@code timeout}, on the whole send after twice that. */
  TwilioSms(HttpClient client, String baseUrl, String accountSid, String authToken, String from, Duration timeout) {
    this(client, baseUrl, accountSid, authToken, from, timeout, timeout.multipliedBy(2));
  }

  /** As above, with the whole send's {@code deadline} given (tests). */
  TwilioSms(HttpClient client, String baseUrl, String accountSid, String authToken, String from, Duration timeout,
      Duration deadline) {
    this.client = client;
    this.url = baseUrl + "/2010-04-01/Accounts/" + URLEncoder.encode(accountSid, StandardCharsets.UTF_8)
        + "/Messages.json";
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
        .getBytes(StandardCharsets.UTF_8));
    this.from = from;
    this.timeout = timeout;
    this.deadline = deadline;
    this.baseUrl = baseUrl;
  }

  @Override
  public Future<Void> send(String to, String text, String language) {
    if (!SmsPasscodes.isPhoneNumber(to)) {
      return Future.failedFuture(new AgentException(Failure.BAD_REQUEST, Messages.get(language, "sms.number",
          SmsPasscodes.maskPhone(to))));
    }
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Authorization", authorization).putHeader("Accept", "application/json")
        .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
    ClientForm form = ClientForm.form().attribute("To", to).attribute("From", from).attribute("Body", text);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    return client.request(request)
        .compose(req -> {
          sent.set(req);
          // body() asked for in the callback that gets the response, on its event loop, before the body
          // can arrive: chained on the outer future instead, it could be asked for only after the whole
          // answer had come and gone (the caller's thread late, e.g. a busy machine), and never complete
          return req.send(form).compose(resp -> resp.body().map(body -> answer(resp, body, to, language)));
        })
        .recover(t -> unreachable(t, language)) // every failure of the exchange is an AgentException from here
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> t instanceof AgentException ? Future.failedFuture(t) : noAnswer(sent.get(), language));
  }

  /** The deadline passed: the request (if it got a connection) is reset, freeing its connection. */
  private Future<Void> noAnswer(HttpClientRequest request, String language) {
    if (request != null) {
      request.reset();
    }
    LOG.warn("sms: {} did not answer within {} s", name("en"), seconds(deadline));
    return Future.failedFuture(new AgentException(Failure.UNAVAILABLE, Messages.get(language, "sms.gateway.noAnswer",
        name(language), seconds(deadline))));
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
  }

  /** The gateway as messages name it, e.g. {@code SMS gateway twilio (https://api.twilio.com)}. */
  private String name(String language) {
    return Messages.get(language, "sms.gateway", baseUrl);
  }

  private Void answer(HttpClientResponse resp, Buffer body, String to, String language) {
    int status = resp.statusCode();
    JsonObject json = parse(body);
    if (status / 100 == 2) {
      LOG.info("sms: {} accepted the message to {} (sid {}, status {})", name("en"), SmsPasscodes.maskPhone(to),
          json.getValue("sid"), json.getValue("status"));
      return null;
    }
    String detail = json.containsKey("code")
        ? Messages.get(language, "sms.gateway.code", String.valueOf(status), String.valueOf(json.getValue("code")))
        : String.valueOf(status);
    detail = json.getValue("message") instanceof String m ? Messages.get(language, "sms.gateway.said", detail, m)
        : detail + " " + resp.statusMessage();
    String name = name(language);
    throw switch (status) {
      case 401, 403 -> new AgentException(Failure.UNAVAILABLE, Messages.get(language, "sms.gateway.credentials", name,
          detail));
      case 429 -> new AgentException(Failure.TOO_MANY_REQUESTS, Messages.get(language, "sms.gateway.rate", name,
          detail));
      default -> status < 500
          ? new AgentException(Failure.BAD_REQUEST, Messages.get(language, "sms.gateway.refused", name,
              SmsPasscodes.maskPhone(to), detail))
          : new AgentException(Failure.UNAVAILABLE, Messages.get(language, "sms.gateway.failed", name, detail));
    };
  }

  private Future<Void> unreachable(Throwable t, String language) {
    if (t instanceof AgentException a) {
      return Future.failedFuture(a);
    }
    return Future.failedFuture(new AgentException(Failure.UNAVAILABLE, Messages.get(language,
        "sms.gateway.unreachable", name(language), t.getClass().getSimpleName() + (t.getMessage() == null ? ""
            : ": " + t.getMessage()))));
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }
}
