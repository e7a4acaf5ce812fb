package au.com.backup247.agent.reports;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.config.AgentConfig;
import au.com.backup247.agent.home.SecretFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emails a report of every finished backup (one per destination) to every contact of agent.json,
 * and answers {@link Addresses#REPORTS_MAIL_TEST}.
 *
 * <p>It listens for the final {@link Addresses#EVENT_JOB_PROGRESS} event of a backup ({@code "done":
 * true}, published after the reports are stored), reads each report and its warning/error lines from
 * the catalog and sends one message per contact through a shared {@link MailClient}. A failed send
 * is retried {@code mail.retries} times with doubling delays, then logged as one line naming the
 * server and the reason (never the password). Nothing here can change a backup's result.
 *
 * <p>Config: {@code {"mail": {...}, "contacts": [...], "home"}} (see {@link AgentConfig.Mail}) and,
 * for tests, {@code retryDelayMs} (first retry delay, default 2000). With {@code mail.enabled} false
 * it sends nothing, and the test address fails CONFLICT.
 */
public final class ReportsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReportsVerticle.class);
  static final int CONNECT_TIMEOUT_MS = 10_000;

  private AgentConfig.Mail mail;
  private List<AgentConfig.Contact> contacts;
  private MailClient client;
  private String password;
  private long retryDelayMs;
  private ReportMailer mailer;

  @Override
  public Future<?> start() {
    JsonObject c = config();
    AgentConfig parsed = AgentConfig.fromJson(new JsonObject().put("mail", c.getJsonObject("mail"))
        .put("contacts", c.getJsonArray("contacts")), "agent.json");
    mail = parsed.mail();
    contacts = parsed.contacts();
    retryDelayMs = c.getLong("retryDelayMs", 2000L);
    mailer = new ReportMailer(ZoneId.systemDefault());
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.REPORTS_MAIL_TEST, this::test).completion());
    if (!mail.enabled()) {
      LOG.info("email reports are off (mail.enabled is false)");
      return Future.all(ready);
    }
    Path home = Path.of(c.getString("home", "."));
    String passwordFile = mail.passwordFile();
    // the password file is read on a worker thread: blocking file I/O stays off the event loop
    Future<String> pw = passwordFile == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> SecretFiles.firstLine(home.resolve(passwordFile), "agent.json: mail.passwordFile"));
    return pw.compose(p -> {
      password = p;
      client = MailClient.createShared(vertx, mailConfig(), "b247-reports");
      ready.add(bus.<JsonObject>consumer(Addresses.EVENT_JOB_PROGRESS, msg -> {
        if (msg.body().getBoolean("done", false)) {
          finished(msg.body());
        }
      }).completion());
      LOG.info("email reports to {} contact(s) through {}", contacts.size(), server());
      if (contacts.isEmpty()) {
        LOG.warn("mail.enabled is true but agent.json has no contacts; no report will be sent");
      }
      return Future.all(ready);
    });
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private MailConfig mailConfig() {
    MailConfig m = new MailConfig().setHostname(mail.host()).setPort(mail.port())
        .setStarttls(mail.username() != null ? StartTLSOptions.REQUIRED : StartTLSOptions.valueOf(mail.starttls()))
        .setKeepAlive(false); // a login never goes out without TLS (AgentConfig.Mail)
    m.setConnectTimeout(CONNECT_TIMEOUT_MS);
    if (mail.username() != null) {
      // PLAIN/LOGIN only: the password is never offered as an XOAUTH2 token
      m.setLogin(LoginOption.REQUIRED).setAuthMethods("PLAIN LOGIN").setUsername(mail.username())
          .setPassword(password);
    } else {
      m.setLogin(LoginOption.DISABLED);
    }
    return m;
  }

  private String server() {
    return mail.host() + ":" + mail.port();
  }

  // ------------------------------------------------------------------------------- finished backups

  private void finished(JsonObject event) {
    JsonArray dests = event.getJsonArray("destinations", new JsonArray());
    Long setId = event.getLong("setId");
    request(Addresses.CATALOG_SETS_GET, new JsonObject().put("id", setId))
        .otherwise(new JsonObject().put("name", "set " + setId))
        .compose(set -> recipients(set.getLong("ownerId")).map(to -> {
          for (Object o : dests) {
            Long id = ((JsonObject) o).getLong("id");
            if (id != null) {
              report(set.getString("name"), id, to);
            }
          }
          return null;
        }));
  }

  /**
   * Who receives the reports of a set owned by {@code ownerId}: the contacts in its owner's profile
   * (the admins' for a set of the admins), and those still in agent.json, each address once.
   */
  private Future<List<String>> recipients(Long ownerId) {
    return request(Addresses.AUTH_CONTACTS, new JsonObject().put("ownerId", ownerId))
        .map(r -> r.getJsonArray("contacts", new JsonArray()))
        .otherwise(err -> {
          LOG.debug("no account contacts ({}); agent.json's only", err.getMessage());
          return new JsonArray();
        })
        .map(profile -> {
          java.util.LinkedHashSet<String> to = new java.util.LinkedHashSet<>();
          contacts.forEach(c -> to.add(c.email()));
          profile.forEach(o -> to.add(((JsonObject) o).getString("email")));
          return List.copyOf(to);
        });
  }

  private void report(String setName, long id, List<String> recipients) {
    Future<JsonObject> row = request(Addresses.CATALOG_JOBS_GET, new JsonObject().put("id", id).put("logLimit", 1));
    Future<JsonObject> warnings = problems(id, "warning");
    Future<JsonObject> errors = problems(id, "error");
    Future.all(row, warnings, errors).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("report {} could not be read for emailing: {}", id, ar.cause().getMessage());
        return;
      }
      List<JsonObject> lines = new ArrayList<>();
      warnings.result().getJsonArray("log", new JsonArray()).forEach(l -> lines.add((JsonObject) l));
      errors.result().getJsonArray("log", new JsonArray()).forEach(l -> lines.add((JsonObject) l));
      lines.sort(Comparator.comparingLong(l -> l.getLong("seq", 0L)));
      if (recipients.isEmpty()) {
        LOG.warn("report {} not emailed: no contacts (add them with b247 profile contacts, or in the console)", id);
      }
      List<Future<Void>> sends = new ArrayList<>();
      for (String to : recipients) {
        MailMessage m = mailer.message(mail.from(), to, setName, row.result(), lines);
        sends.add(sendWithRetries(m, 0).onFailure(err -> LOG.warn("report {} email to {} not sent: mail server {}"
            + " failed after {} attempt(s): {}", id, to, server(), mail.retries() + 1, reason(err))));
      }
      if (!sends.isEmpty()) {
        Future.join(sends).onComplete(done -> LOG.info("report {} emailed: {} of {} sent", id,
            sends.stream().filter(Future::succeeded).count(), sends.size()));
      }
    });
  }

  private Future<JsonObject> problems(long id, String level) {
    return request(Addresses.CATALOG_JOBS_GET, new JsonObject().put("id", id).put("level", level)
        .put("logLimit", ReportMailer.MAX_PROBLEM_LINES + 1));
  }

  private Future<Void> sendWithRetries(MailMessage m, int attempt) {
    return client.sendMail(m).<Void>mapEmpty().recover(err -> {
      if (attempt >= mail.retries()) {
        return Future.failedFuture(err);
      }
      long delay = Math.min(retryDelayMs << Math.min(attempt, 10), 10 * 60_000L);
      LOG.debug("email to {} via {} failed ({}); retry {} in {} ms", m.getTo(), server(), reason(err), attempt + 1,
          delay);
      Promise<Void> p = Promise.promise();
      vertx.setTimer(delay, t -> sendWithRetries(m, attempt + 1).onComplete(p));
      return p.future();
    });
  }

  // ----------------------------------------------------------------------------------- test email

  /** Body {@code {"to"?: address}}; replies {@code {"server", "sent": [addresses]}}. */
  private void test(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    if (!mail.enabled()) {
      msg.reply(AgentException.of(Failure.CONFLICT, "e.mail.off").toReply());
      return;
    }
    Object given = body.getValue("to");
    if (given != null && (!(given instanceof String s) || !AgentConfig.isEmail(s))) {
      msg.reply(AgentException.of(Failure.BAD_REQUEST, "e.mail.to").toReply());
      return;
    }
    Future<List<String>> recipients = given != null ? Future.succeededFuture(List.of((String) given))
        : recipients(null);
    recipients.onSuccess(to -> sendTest(msg, to));
  }

  private void sendTest(Message<JsonObject> msg, List<String> to) {
    if (to.isEmpty()) {
      msg.reply(AgentException.of(Failure.BAD_REQUEST, "e.mail.noContacts").toReply());
      return;
    }
    List<Future<Void>> sends = new ArrayList<>();
    for (String t : to) {
      MailMessage m = new MailMessage().setFrom(mail.from()).setTo(t).setSubject("[B247] Test email")
          .setText("This is a test email from B247 Agent.\nBackup reports will be sent to this address.\n");
      sends.add(client.sendMail(m).mapEmpty());
    }
    Future.all(sends).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(new JsonObject().put("server", server()).put("sent", new JsonArray(to)));
      } else {
        String why = reason(ar.cause());
        LOG.warn("test email not sent: mail server {} failed: {}", server(), why);
        msg.reply(AgentException.of(Failure.UNAVAILABLE, "e.mail.server", server(), why).toReply());
      }
    });
  }

  // -------------------------------------------------------------------------------------- helpers

  private Future<JsonObject> request(String address, JsonObject body) {
    return BusClient.request(vertx, address, body);
  }

  /** One line describing {@code err}, with the password (plain or in an AUTH exchange) masked. */
  String reason(Throwable err) {
    String r = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    r = ReportMailer.oneLine(r);
    if (password != null) {
      r = r.replace(password, "***");
      String user = mail.username() == null ? "" : mail.username();
      for (String plain : new String[] {"\0" + user + "\0" + password, user + "\0" + password, password}) {
        r = r.replace(Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)), "***");
      }
    }
    return r;
  }
}
