package au.com.backup247.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code b247 repo ...}: work on a repository directly, without the agent (disaster recovery). The
 * repository is a folder or a destination URL ({@code sftp://}, {@code ftp://}, {@code ftps://},
 * {@code s3://}).
 */
@Command(name = "repo", mixinStandardHelpOptions = true,
    description = "Work on a repository (a folder or a destination URL) directly, without the agent.",
    subcommands = {RepoInitCommand.class, RepoBackupCommand.class, RepoRestoreCommand.class, RepoJobsCommand.class,
        RepoLsCommand.class, RepoCheckCommand.class, RepoDecryptCommand.class, RepoTestCommand.class,
        RepoPruneCommand.class, RepoRecoverKeyCommand.class, CommandLine.HelpCommand.class})
final class RepoCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
