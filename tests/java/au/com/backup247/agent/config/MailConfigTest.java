package au.com.backup247.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mail and contacts settings of agent.json: defaults, and every error names its key. */
class MailConfigTest {

  @Test
  void defaults_mailOff_noContacts_andTheyRoundTrip() {
    AgentConfig d = AgentConfig.defaults();
    assertFalse(d.mail().enabled());
    assertEquals("localhost", d.mail().host());
    assertEquals(25, d.mail().port());
    assertEquals("OPTIONAL", d.mail().starttls());
    assertEquals(3, d.mail().retries());
    assertEquals(List.of(), d.contacts());
    assertEquals(d, AgentConfig.fromJson(new JsonObject(d.toJson().encode()), "agent.json"));
  }

  @Test
  void fullSection_isRead() {
    JsonObject json = new JsonObject("{\"mail\": {\"enabled\": true, \"host\": \"smtp.example.com\", \"port\": 587,"
        + " \"username\": \"agent\", \"passwordFile\": \"config/smtp.pw\", \"starttls\": \"REQUIRED\","
        + " \"from\": \"agent@example.com\", \"retries\": 5},"
        + " \"contacts\": [{\"name\": \"Ops\", \"email\": \"ops@example.com\"}, {\"email\": \"me@example.com\"}]}");
    AgentConfig c = AgentConfig.fromJson(json, "agent.json");
    assertEquals(new AgentConfig.Mail(true, "smtp.example.com", 587, "agent", "config/smtp.pw", "REQUIRED",
        "agent@example.com", 5), c.mail());
    assertEquals(List.of(new AgentConfig.Contact("Ops", "ops@example.com"),
        new AgentConfig.Contact("me@example.com", "me@example.com")), c.contacts());
    assertEquals(c, AgentConfig.fromJson(c.toJson(), "agent.json"));
  }

  /** Issue 11, item 11: a stripped STARTTLS must never make the agent send its SMTP password in clear. */
  @Test
  void withAUsername_starttlsDefaultsToRequired() {
    AgentConfig c = AgentConfig.fromJson(new JsonObject("{\"mail\": {\"username\": \"agent\"}}"), "agent.json");
    assertEquals("REQUIRED", c.mail().starttls());
    assertEquals("OPTIONAL", AgentConfig.defaults().mail().starttls(), "without a login nothing secret is sent");
    assertThrows(IllegalArgumentException.class, () -> new AgentConfig.Mail(true, "h", 25, "agent", null, "OPTIONAL",
        "a@b.c", 1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{'mail': {'port': 0}}                          | agent.json: mail.port must be between 1 and 65535, got 0",
    "{'mail': {'port': 70000}}                      | agent.json: mail.port must be between 1 and 65535, got 70000",
    "{'mail': {'enabled': 'yes'}}                   | agent.json: mail.enabled must be true or false, got \"yes\"",
    "{'mail': {'starttls': 'SOMETIMES'}}            | agent.json: mail.starttls must be one of",
    "{'mail': {'host': ''}}                         | agent.json: mail.host must not be empty",
    "{'mail': {'from': 'nobody'}}                   | agent.json: mail.from is not an email address, got \"nobody\"",
    "{'mail': {'enabled': true}}                    | agent.json: mail.from must be set when mail.enabled is true",
    "{'mail': {'passwordFile': 'pw'}}               | agent.json: mail.username must be set when mail.passwordFile is set",
    "{'mail': {'password': 'secret'}}               | agent.json: unknown key mail.password",
    "{'mail': {'username': 'a', 'starttls': 'OPTIONAL'}} | agent.json: mail.starttls must be REQUIRED when mail.username is set (got OPTIONAL)",
    "{'mail': {'username': 'a', 'starttls': 'DISABLED'}} | agent.json: mail.starttls must be REQUIRED when mail.username is set (got DISABLED)",
    "{'mail': {'retries': 11}}                      | agent.json: mail.retries must be between 0 and 10, got 11",
    "{'mail': 1}                                    | agent.json: mail must be an object, got 1",
    "{'contacts': {}}                               | agent.json: contacts must be an array, got an object",
    "{'contacts': ['a@b.c']}                        | agent.json: contacts[0] must be an object, got \"a@b.c\"",
    "{'contacts': [{'email': 'a@b.c'}, {'email': 'x'}] } | agent.json: contacts[1].email is not an email address, got \"x\"",
    "{'contacts': [{'name': 'No mail'}]}            | agent.json: contacts[0].email is missing",
    "{'contacts': [{'email': 'a b@c.d'}]}           | agent.json: contacts[0].email is not an email address",
    "{'contacts': [{'email': 'a@b.c', 'phone': 1}]} | agent.json: unknown key contacts[0].phone",
  })
  void badValue_isRejectedNamingTheKey(String json, String expected) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AgentConfig.fromJson(new JsonObject(json.replace('\'', '"')), "agent.json"));
    if (!e.getMessage().startsWith(expected)) {
      throw new AssertionError("expected a message starting with <" + expected + "> but was <" + e.getMessage() + ">");
    }
  }

  @Test
  void reportsJson_carriesMailAndContacts_butNeverAPassword() {
    AgentConfig c = AgentConfig.fromJson(new JsonObject().put("contacts", new JsonArray()
        .add(new JsonObject().put("name", "Ops").put("email", "ops@example.com"))), "agent.json");
    JsonObject r = c.reportsJson();
    assertEquals(new JsonObject().put("name", "Ops").put("email", "ops@example.com"),
        r.getJsonArray("contacts").getJsonObject(0));
    assertFalse(r.getJsonObject("mail").containsKey("password"));
  }
}
