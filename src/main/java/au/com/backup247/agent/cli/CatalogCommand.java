package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.CatalogRecovery;
import au.com.backup247.agent.config.AgentConfig;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.InstanceLock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code b247 catalog recover}: the agent's catalog rebuilt from its copies and the set exports. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "The agent's catalog (its own database of sets and reports).",
    subcommands = {CatalogCommand.Recover.class, CommandLine.HelpCommand.class})
final class CatalogCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = {"Rebuild the catalog, with the agent stopped: a damaged catalog is kept aside and replaced "
          + "by the newest sound copy (catalog-copies/) or a new one; every backup set exported beside its key "
          + "(keys/<id>.set.json) that it lacks is added back.", "Exit 0 when every exported set is in the catalog."})
  static final class Recover implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws Exception {
      AgentHome h = home.resolve();
      if (InstanceLock.isHeld(h)) {
        throw new AgentException(Failure.ALREADY_RUNNING, "the agent is running (pid "
            + InstanceLock.readPid(h).orElse(-1) + "): stop it first (b247 stop)");
      }
      AgentConfig config = AgentConfig.loadOrCreate(h.configFile());
      CatalogRecovery.Result r = new CatalogRecovery(h.resolve(config.catalog().file()), h.root()).run(Instant.now());
      r.lines().forEach(System.out::println);
      return r.ok() ? 0 : 1;
    }
  }
}
