package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.system.InfoTable;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 info}: the Information page of the running agent ({@code GET /api/v1/info}) as a table. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Show the running agent's product version and system information.")
final class InfoCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--json", description = "Print the raw JSON of GET /api/v1/info.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    AgentHome h = home.resolve();
    AgentState s = AgentState.require(h);
    String api = s.api().orElseThrow(() -> new AgentException(Failure.NOT_RUNNING,
        "the agent is still starting; try again in a moment"));
    JsonObject info = get(api + "api/v1/info");
    System.out.print(json ? info.encodePrettily() + "\n" : InfoTable.render(info));
    return 0;
  }

  static JsonObject get(String url) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(r.body());
      if (r.statusCode() != 200) {
        JsonObject err = body.getJsonObject("error", new JsonObject());
        throw new AgentException(Failure.INTERNAL, url + " answered " + r.statusCode() + ": "
            + err.getString("message", r.body()));
      }
      return body;
    } catch (IOException e) {
      throw new AgentException(Failure.UNAVAILABLE, "cannot reach the agent at " + url + ": " + e.getMessage());
    }
  }
}
