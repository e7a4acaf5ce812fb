package au.com.backup247.agent.cli;

import au.com.backup247.agent.home.AgentHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --home DIR}, shared by the agent commands; defaults to $B247_HOME or ~/.b247. */
final class HomeOption {
  @Option(names = "--home", paramLabel = "DIR", description = "Agent home (default: $B247_HOME or ~/.b247).")
  Path home;

  AgentHome resolve() {
    return home != null ? new AgentHome(home.toAbsolutePath().normalize()) : AgentHome.fromEnvironment(System.getenv());
  }
}
