package au.com.backup247.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code b247 repo ...}: work on a repository folder directly, without the agent (disaster recovery). */
@Command(name = "repo", mixinStandardHelpOptions = true,
    description = "Work on a repository folder directly, without the agent.",
    subcommands = {RepoInitCommand.class, RepoBackupCommand.class, RepoRestoreCommand.class, RepoJobsCommand.class,
        RepoLsCommand.class, RepoCheckCommand.class, RepoDecryptCommand.class, CommandLine.HelpCommand.class})
final class RepoCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
