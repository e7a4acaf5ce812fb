package au.com.backup247.agent.cli;

import au.com.backup247.agent.system.InfoTable;
import io.vertx.core.json.JsonObject;
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
    JsonObject info = AgentApi.of(home.resolve()).get("info");
    System.out.print(json ? info.encodePrettily() + "\n" : InfoTable.render(info));
    return 0;
  }
}
