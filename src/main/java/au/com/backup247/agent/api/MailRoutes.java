package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /mail/test}: a test email to the contacts, or to {@code {"to": address}}, via the reports service. */
final class MailRoutes {
  private MailRoutes() {
  }

  static void mount(Router router, String prefix) {
    router.post(prefix + "/mail/test").handler(MailRoutes::test);
  }

  private static void test(RoutingContext ctx) {
    if (!AuthRoutes.requireAdmin(ctx, "what.mailTest")) {
      return;
    }
    SetRoutes.withOptionalBody(ctx, body -> {
      Object to = body.getValue("to");
      if (to != null && !(to instanceof String)) {
        ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.param.string", "to"));
        return;
      }
      ApiVerticle.forward(ctx, Addresses.REPORTS_MAIL_TEST, new JsonObject().put("to", to), r -> 200);
    });
  }
}
