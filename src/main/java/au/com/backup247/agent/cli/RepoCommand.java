package au.com.backup247.agent.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code b247 repo ...}: work on a repository directly, without the agent (disaster recovery). The
 * repository is a folder or a destination URL ({@code sftp://}, {@code ftp://}, {@code ftps://},
 * {@code s3://}).
 */
@Command(name = "repo", mixinStandardHelpOptions = true,
    description = "Work on a repository (a folder or a destination URL) directly, without the agent.")
final class RepoCommand implements Runnable {
  /**
   * The subcommands, in the order the usage lists them. Not in the annotation: like {@link B247}, a
   * command line builds only the one it runs ({@link #commandLine}); reading the options of every
   * repository command cost about 40 ms at each start of one.
   */
  static final List<Class<?>> COMMANDS = List.of(RepoInitCommand.class, RepoBackupCommand.class,
      RepoRestoreCommand.class, RepoJobsCommand.class, RepoLsCommand.class, RepoCheckCommand.class,
      RepoDecryptCommand.class, RepoTestCommand.class, RepoPruneCommand.class, RepoRecoverKeyCommand.class,
      CommandLine.HelpCommand.class);

  /**
   * {@code repo} with the subcommand named {@code first} only, or with every subcommand when
   * {@code first} names none (no argument, an option such as --help, {@code help}, a typo): then
   * usage and error messages list them all.
   */
  static CommandLine commandLine(String first) {
    return B247.withSubcommands(new CommandLine(new RepoCommand()), COMMANDS, first, null);
  }

  @Override
  public void run() {
    commandLine(null).usage(System.out);
  }
}
