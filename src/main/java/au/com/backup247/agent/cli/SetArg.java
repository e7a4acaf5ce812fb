package au.com.backup247.agent.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code [--home DIR] SET}: the running agent and the backup set a command acts on, named by its
 * first parameter ({@link SetRef}), shared by the commands that take a set.
 */
final class SetArg {
  @Mixin
  HomeOption home;

  @Parameters(index = "0", paramLabel = SetRef.LABEL, description = SetRef.HELP)
  String given;

  /** The running agent's API. */
  AgentApi api() {
    return AgentApi.of(home.resolve());
  }

  /** The set the parameter names, through {@code api}. */
  SetRef resolve(AgentApi api) throws InterruptedException {
    return SetRef.resolve(api, given);
  }
}
