package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.Totp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts through the CLI of a real agent process (issue 10): the first start writes the setup
 * code; {@code b247 user create --admin} makes the first admin (and the code goes); a person logs in
 * over HTTP; {@code b247 profile --user ... 2fa} enrols an authenticator app whose code the test
 * computes from the printed key; a login then needs the second factor (a recovery code here) until
 * {@code b247 user reset-2fa}; the API refuses requests without credentials and the CLI exits 8
 * with a token the agent does not know.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class UserCliIT {
  private static final String PASSWORD = "a long and private passphrase";

  private static Path secretFile(Path dir, String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private static JsonObject post(int port, String path, JsonObject body, int status) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), path + ": " + r.body());
    return new JsonObject(r.body());
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
    return m.group(1);
  }

  @Test
  void accountsAndTwoFactor_throughTheCli(@TempDir Path dir) throws Exception {
    int port = AgentProcess.freePort();
    Path home = dir.resolve("home");
    try (RunningAgent agent = RunningAgent.start(home, port, "agent")) {
      Path code = home.resolve("run/setup-code");
      assertTrue(Files.exists(code), "a new agent writes its setup code");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(code)));
      assertTrue(Files.readString(home.resolve("logs/agent.log")).contains(Files.readString(code).strip()),
          "and prints it in its log");
      assertEquals(401, AgentProcess.get(port, "/api/v1/sets").statusCode());

      Path pw = secretFile(dir, "pw", PASSWORD);
      assertTrue(agent.ok("user", "create", "root1", "--admin", "--password-file", pw.toString())
          .contains("created admin root1"));
      assertFalse(Files.exists(code), "the setup code is spent");
      Path weak = secretFile(dir, "weak", "password1");
      AgentProcess.Result refused = agent.b247("user", "create", "bob", "--password-file", weak.toString());
      assertEquals(2, refused.exit(), refused.all());
      assertTrue(refused.err().contains("password: passwords need at least 10 characters"), refused.err());
      Files.setPosixFilePermissions(weak, PosixFilePermissions.fromString("rw-r--r--"));
      AgentProcess.Result open = agent.b247("user", "create", "bob", "--password-file", weak.toString());
      assertTrue(open.exit() != 0 && open.err().contains("chmod 600"), open.all());
      agent.ok("user", "create", "alice", "--password-file", pw.toString());
      assertTrue(agent.ok("user", "list").lines().anyMatch(l -> l.startsWith("alice") && l.contains("user")));
      assertNotNull(post(port, "/api/v1/auth/login", new JsonObject().put("login", "alice").put("password", PASSWORD),
          200).getString("token"));

      // an authenticator app, enrolled through the CLI with the code of the key it printed
      String added = agent.ok("profile", "2fa", "--user", "alice", "--add-app", "Phone", "--password-file",
          pw.toString());
      String id = group(added, "authenticator (\\S+) added");
      String key = group(added, "enter this key: ([A-Z2-7]+)");
      Totp totp = new Totp(Clock.systemUTC());
      String confirmed = agent.ok("profile", "2fa", "--user", "alice", "--confirm", id, "--code",
          totp.code(Totp.fromBase32(key), totp.currentStep()));
      assertTrue(confirmed.contains("two-factor authentication: on"), confirmed);
      String recovery = group(confirmed, "\\n  ([0-9A-Z]{4}(-[0-9A-Z]{4}){5})");
      JsonObject challenge = post(port, "/api/v1/auth/login", new JsonObject().put("login", "alice")
          .put("password", PASSWORD), 200).getJsonObject("twoFactor");
      assertNotNull(challenge, "2FA is on");
      assertNotNull(post(port, "/api/v1/auth/2fa", new JsonObject().put("challenge", challenge.getString("challenge"))
          .put("method", "recovery").put("code", recovery), 200).getString("token"));

      assertTrue(agent.ok("user", "reset-2fa", "alice").contains("is off"));
      assertNotNull(post(port, "/api/v1/auth/login", new JsonObject().put("login", "alice").put("password", PASSWORD),
          200).getString("token"), "the password alone again");

      Path token = home.resolve("run/api-token");
      String real = Files.readString(token);
      Files.writeString(token, "not-the-token\n");
      AgentProcess.Result stranger = agent.b247("set", "list");
      assertEquals(8, stranger.exit(), stranger.all());
      assertTrue(stranger.err().contains("log in first"), stranger.err());
      Files.writeString(token, real);
      agent.ok("set", "list");
    }
  }
}
