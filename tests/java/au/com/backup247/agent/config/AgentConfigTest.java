package au.com.backup247.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @Test
  void loadOrCreate_writesDefaultsOnFirstRun_andReadsThemBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config/agent.json");
    AgentConfig created = AgentConfig.loadOrCreate(file);
    assertTrue(Files.exists(file));
    assertEquals("127.0.0.1", created.api().host());
    assertEquals(7070, created.api().port());
    assertEquals("all", created.role());
    assertEquals(created, AgentConfig.loadOrCreate(file));
    assertEquals(7070, new JsonObject(Files.readString(file)).getJsonObject("api").getInteger("port"));
  }

  @Test
  void scheduleTimeZone_defaultsToTheSystemZone_andABadOneIsNamed() {
    assertEquals(java.time.ZoneId.systemDefault(), AgentConfig.defaults().scheduleZone());
    AgentConfig sydney = AgentConfig.fromJson(new JsonObject().put("schedule",
        new JsonObject().put("timeZone", "Australia/Sydney")), "agent.json");
    assertEquals(java.time.ZoneId.of("Australia/Sydney"), sydney.scheduleZone());
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("schedule", new JsonObject().put("timeZone", "Mars/Olympus")), "agent.json"));
    assertEquals("agent.json: schedule.timeZone is not a time zone id (e.g. Australia/Sydney, UTC, or system), "
        + "got \"Mars/Olympus\"", e.getMessage());
  }

  @Test
  void portOutOfRange_isRejectedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AgentConfig.fromJson(new JsonObject().put("api", new JsonObject().put("port", 70000)), "agent.json"));
    assertEquals("agent.json: api.port must be between 1 and 65535, got 70000", e.getMessage());
  }

  @Test
  void wrongType_isRejectedNamingTheKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AgentConfig.fromJson(new JsonObject().put("api", new JsonObject().put("port", "eighty")), "agent.json"));
    assertEquals("agent.json: api.port must be a whole number, got \"eighty\"", e.getMessage());
  }

  @Test
  void unknownKey_isRejected_soTyposDoNotPassSilently() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AgentConfig.fromJson(new JsonObject().put("api", new JsonObject().put("prot", 1)), "agent.json"));
    assertEquals("agent.json: unknown key api.prot", e.getMessage());
  }

  @Test
  void badLogLevel_namesAllowedValues() {
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(
        new JsonObject().put("logging", new JsonObject().put("level", "LOUD")), "agent.json"));
    assertTrue(e.getMessage().startsWith("agent.json: logging.level must be one of"), e.getMessage());
  }

  @Test
  void sectionThatIsNotAnObject_isRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AgentConfig.fromJson(new JsonObject().put("shutdown", 5), "agent.json"));
    assertEquals("agent.json: shutdown must be an object, got 5", e.getMessage());
  }

  @Test
  void malformedJsonFile_namesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, "{ \"api\": ");
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.loadOrCreate(file));
    assertTrue(e.getMessage().startsWith(file + ": not valid JSON"), e.getMessage());
  }

  @Test
  void eventKeepAlive_is15SecondsByDefault_andOutOfRangeIsNamed() {
    assertEquals(15, AgentConfig.defaults().api().eventKeepAliveSeconds());
    assertEquals(15, AgentConfig.defaults().api().toJson().getInteger("eventKeepAliveSeconds"));
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("api", new JsonObject().put("eventKeepAliveSeconds", 0)), "agent.json"));
    assertEquals("agent.json: api.eventKeepAliveSeconds must be between 1 and 300, got 0", e.getMessage());
  }

  @Test
  void toJson_roundTrips() {
    AgentConfig c = AgentConfig.fromJson(new JsonObject().put("api", new JsonObject().put("port", 9000)
        .put("host", "0.0.0.0")).put("shutdown", new JsonObject().put("timeoutSeconds", 5)), "x");
    assertEquals(c, AgentConfig.fromJson(c.toJson(), "y"));
  }

  @Test
  void apiTls_namesBothPemFiles_andCannotBeTurnedOff() {
    AgentConfig c = AgentConfig.fromJson(new JsonObject().put("api", new JsonObject().put("host", "0.0.0.0")
        .put("tls", new JsonObject().put("certFile", "config/tls/my.crt").put("keyFile", "/etc/b247/my.key"))), "x");
    assertEquals(new AgentConfig.Tls("config/tls/my.crt", "/etc/b247/my.key"), c.api().tls());
    assertEquals(c, AgentConfig.fromJson(c.toJson(), "y"));
    assertEquals(null, AgentConfig.defaults().api().tls());

    ConfigException off = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("api", new JsonObject().put("host", "0.0.0.0").put("tls", false)), "agent.json"));
    assertTrue(off.getMessage().startsWith("agent.json: api.tls must be an object {\"certFile\", \"keyFile\"} naming "
        + "PEM files, got false (TLS cannot be turned off"), off.getMessage());
    ConfigException half = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("api", new JsonObject().put("tls", new JsonObject().put("certFile", "a.crt"))), "agent.json"));
    assertTrue(half.getMessage().startsWith("agent.json: api.tls.keyFile is missing"), half.getMessage());
    ConfigException typo = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("api", new JsonObject().put("tls", new JsonObject().put("certFile", "a").put("keyFile", "b")
            .put("keyPassword", "x"))), "agent.json"));
    assertEquals("agent.json: unknown key api.tls.keyPassword", typo.getMessage());
  }

  @Test
  void encryptionRecovery_namesThePublicKeyFile_offByDefault() {
    assertEquals(null, AgentConfig.defaults().encryptionRecovery().publicKeyFile());
    AgentConfig c = AgentConfig.fromJson(new JsonObject().put("encryptionRecovery", new JsonObject()
        .put("publicKeyFile", "config/recovery-public.pem")), "x");
    assertEquals("config/recovery-public.pem", c.encryptionRecovery().publicKeyFile());
    assertEquals(c, AgentConfig.fromJson(c.toJson(), "y"));
    ConfigException typo = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(new JsonObject()
        .put("encryptionRecovery", new JsonObject().put("publicKey", "x")), "agent.json"));
    assertEquals("agent.json: unknown key encryptionRecovery.publicKey", typo.getMessage());
  }
}
