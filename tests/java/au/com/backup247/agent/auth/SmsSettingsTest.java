package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth.sms settings: defaults, each bad key named, and the token file. */
class SmsSettingsTest {
  private static final JsonObject ON = new JsonObject().put("enabled", true)
      .put("accountSid", "AC0123456789abcdef0123456789abcdef").put("authTokenFile", "config/sms.token")
      .put("from", "+15005550006");

  private static String refusal(JsonObject json) {
    return assertThrows(ConfigException.class, () -> SmsSettings.fromJson(json, "agent.json")).getMessage();
  }

  @Test
  void defaults_areOffWithTwilio() {
    SmsSettings s = SmsSettings.disabled();
    assertFalse(s.enabled());
    assertEquals("twilio", s.provider());
    assertEquals("https://api.twilio.com", s.baseUrl());
    assertEquals(s, SmsSettings.fromJson(null, "agent.json"));
  }

  @Test
  void enabled_roundTripsThroughJson() {
    SmsSettings s = SmsSettings.fromJson(ON, "agent.json");
    assertEquals(s, SmsSettings.fromJson(s.toJson(), "agent.json"));
    assertEquals("AC0123456789abcdef0123456789abcdef", s.accountSid());
  }

  @Test
  void enabled_needsSidTokenFileAndFrom_eachNamed() {
    for (String key : new String[] {"accountSid", "authTokenFile", "from"}) {
      JsonObject json = ON.copy();
      json.remove(key);
      assertEquals("agent.json: auth.sms." + key + " must be set when auth.sms.enabled is true", refusal(json));
    }
  }

  @Test
  void badValues_areRefusedNamingTheKey() {
    assertEquals("agent.json: auth.sms.token is not a setting (known: enabled, provider, baseUrl, accountSid, "
        + "authTokenFile, from)", refusal(ON.copy().put("token", "x")));
    assertEquals("agent.json: auth.sms.enabled must be true or false", refusal(ON.copy().put("enabled", "yes")));
    assertEquals("agent.json: auth.sms.provider must be \"twilio\" (the only gateway so far), got \"nexmo\"",
        refusal(ON.copy().put("provider", "nexmo")));
    assertEquals("agent.json: auth.sms.accountSid must be a non-empty string", refusal(ON.copy().put("accountSid", 7)));
    assertEquals("agent.json: auth.sms.accountSid must be letters, digits and dashes (Twilio's look like AC and 32 "
        + "hex digits)", refusal(ON.copy().put("accountSid", "AC/../x")));
    assertEquals("agent.json: auth.sms.from must be a phone number in international format (+15005550006) or a "
        + "sender id of 1 to 11 letters and digits, got \"0412345678\"", refusal(ON.copy().put("from", "0412345678")));
    assertEquals("agent.json: auth.sms.authTokenFile must be a non-empty string",
        refusal(ON.copy().put("authTokenFile", " ")));
  }

  @Test
  void from_mayBeAnAlphanumericSenderId() {
    assertEquals("B247 Backup", SmsSettings.fromJson(ON.copy().put("from", "B247 Backup"), "agent.json").from());
  }

  @Test
  void baseUrl_isHttps_orHttpOnLoopback() {
    assertEquals("http://127.0.0.1:8080", SmsSettings.fromJson(ON.copy().put("baseUrl", "http://127.0.0.1:8080/"),
        "agent.json").baseUrl());
    assertEquals("https://sms.example.com/twilio", SmsSettings.fromJson(ON.copy().put("baseUrl",
        "https://sms.example.com/twilio"), "agent.json").baseUrl());
    for (String bad : new String[] {"http://sms.example.com", "ftp://127.0.0.1", "https://x.example?a=b", "api.twilio.com",
        "https://"}) {
      assertEquals("agent.json: auth.sms.baseUrl must be an https URL without query (http only on loopback), got \""
          + bad + "\"", refusal(ON.copy().put("baseUrl", bad)), bad);
    }
  }

  @Test
  void authToken_isTheFirstLineOfAnOwnerOnlyFile(@TempDir Path home) throws Exception {
    SmsSettings s = SmsSettings.fromJson(ON, "agent.json");
    Path file = home.resolve("config/sms.token");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "  tok3n-value \nsecond line\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals("tok3n-value", s.authToken(home));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertEquals("auth.sms.authTokenFile " + file + " is readable or writable by group or others (mode rw-r-----); "
        + "run: chmod 600 " + file, assertThrows(AgentException.class, () -> s.authToken(home)).getMessage());
    Files.delete(file);
    assertEquals("auth.sms.authTokenFile " + file + " does not exist",
        assertThrows(AgentException.class, () -> s.authToken(home)).getMessage());
  }
}
