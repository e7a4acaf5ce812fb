package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Calls the running agent's HTTP API (address from the state file) for the commands that manage
 * it, as the local admin: with the API token the agent writes to {@code <home>/run/api-token} at
 * every start (docs/SECURITY.md §1). An error answer becomes the {@link AgentException} of its code
 * (a {@link ValidationException} with the field errors for code "validation"), so the exit code
 * follows {@link Failure}. An HTTPS agent is trusted by exactly its certificate, whose fingerprint
 * the agent wrote to the state file in its (owner-only) home ({@link PinnedTrust}).
 */
final class AgentApi {
  private final String base;
  private final String token;
  private final String asUser;
  private final HttpClient client;

  AgentApi(String base, String pinnedFingerprint, String token) {
    this(base, clientFor(base, pinnedFingerprint), token, null);
  }

  private AgentApi(String base, HttpClient client, String token, String asUser) {
    this.base = base.endsWith("/") ? base : base + "/";
    this.client = client;
    this.token = token;
    this.asUser = asUser;
  }

  private static HttpClient clientFor(String base, String pinnedFingerprint) {
    // HTTP/1.1 as browsers speak it to a plain-http agent: the JDK client otherwise asks to upgrade to
    // HTTP/2 in clear text (h2c), and one such upgraded answer of 200 KB once arrived with a broken frame
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (base.startsWith("https:")) {
      if (pinnedFingerprint == null) {
        throw new AgentException(Failure.UNAVAILABLE, "the agent at " + base + " serves HTTPS but its state file "
            + "names no certificate fingerprint to trust; restart the agent");
      }
      b.sslContext(PinnedTrust.context(pinnedFingerprint));
    }
    return b.build();
  }

  /** {@code value} encoded for a query string ({@code a b&c} as {@code a+b%26c}). */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The API of the agent running on {@code home}; NOT_RUNNING when there is none. */
  static AgentApi of(AgentHome home) {
    AgentState s = AgentState.require(home);
    String api = s.api().orElseThrow(() -> new AgentException(Failure.NOT_RUNNING,
        "the agent is still starting; try again in a moment"));
    return new AgentApi(api, s.tlsFingerprint().orElse(null), readToken(home));
  }

  /** The same API acting as the account {@code login} (the local token may act as any account). */
  AgentApi as(String login) {
    return new AgentApi(base, client, token, login);
  }

  private static String readToken(AgentHome home) {
    Path file = home.apiTokenFile();
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!t.isEmpty()) {
        return t;
      }
    } catch (NoSuchFileException e) {
      throw new AgentException(Failure.NOT_RUNNING, "the agent has not written its API token " + file
          + " yet; it is still starting, or it is an older agent: restart it");
    } catch (AccessDeniedException e) {
      throw new AgentException(Failure.FORBIDDEN, "cannot read the agent's API token " + file
          + ": only the agent's user (the owner of " + home.root() + ") may manage it");
    } catch (IOException e) {
      throw new AgentException(Failure.UNAVAILABLE, "cannot read the agent's API token " + file + ": "
          + au.com.backup247.agent.fs.IoReason.of(e));
    }
    throw new AgentException(Failure.NOT_RUNNING, "the agent's API token " + file + " is empty; restart the agent");
  }

  JsonObject get(String path) throws InterruptedException {
    return send("GET", path, null);
  }

  JsonObject post(String path, JsonObject body) throws InterruptedException {
    return send("POST", path, body);
  }

  JsonObject put(String path, JsonObject body) throws InterruptedException {
    return send("PUT", path, body);
  }

  JsonObject delete(String path) throws InterruptedException {
    return send("DELETE", path, null);
  }

  private JsonObject send(String method, String path, JsonObject body) throws InterruptedException {
    String url = base + "api/v1/" + path;
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode());
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .method(method, publisher);
    if (asUser != null) {
      b.header("X-B247-User", asUser);
    }
    HttpRequest req = b.build();
    HttpResponse<String> r;
    try {
      r = client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AgentException(Failure.UNAVAILABLE, "cannot reach the agent at " + url + ": "
          + PinnedTrust.reason(e));
    }
    JsonObject json;
    try {
      json = new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      throw new AgentException(Failure.INTERNAL, method + " " + url + " answered " + r.statusCode()
          + " with a body that is not JSON");
    }
    if (r.statusCode() / 100 != 2) {
      throw failure(json, r.statusCode());
    }
    return json;
  }

  static AgentException failure(JsonObject body, int status) {
    JsonObject err = body.getJsonObject("error", new JsonObject());
    String message = err.getString("message", "the agent answered HTTP " + status);
    Failure f = Arrays.stream(Failure.values()).filter(x -> x.code().equals(err.getString("code"))).findFirst()
        .orElseGet(() -> Failure.ofHttpStatus(status).orElse(Failure.INTERNAL));
    JsonArray fields = err.getJsonArray("fields");
    return f == Failure.VALIDATION && fields != null ? new ValidationException(message, fields)
        : new AgentException(f, message);
  }
}
