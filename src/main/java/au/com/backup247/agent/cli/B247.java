package au.com.backup247.agent.cli;

import au.com.backup247.agent.Version;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.jvm.CompilerDirectives;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code b247} command line.
 *
 * <p>Exit codes: 0 success; 1 failure; 2 bad usage; 3 the agent is not running; 4 the agent is
 * already running; 5 invalid configuration (agent.json, verticles.json); 6 the API port cannot be
 * bound; 7 timed out (e.g. {@code stop} gave up waiting); 8 not allowed (no valid token or session, or
 * the account may not do this); 9 the jobs waited for completed, some with warnings ({@link JobOutcome}).
 */
@Command(name = "b247", mixinStandardHelpOptions = true, versionProvider = B247.VersionProvider.class,
    header = {"Getting started:",
        "  b247 start                           # start the agent in the background",
        "  b247 set create --name docs --source ~/Documents --dest /mnt/usb/b247",
        "  b247 backup docs --wait; b247 restore docs --target /tmp/docs --wait", ""},
    description = "B247 Agent: versioned, encrypted backups to several destinations at once.",
    footer = {"", "Agent home: ~/.b247, or $B247_HOME.",
        "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 not running, 4 already running,",
        "            5 invalid configuration, 6 port in use, 7 timed out, 8 not allowed,",
        "            9 completed with warnings (backup and restore --wait)."})
public final class B247 implements Runnable {
  /**
   * The subcommands, in the order the usage lists them. Not in the annotation: a command line builds
   * only the one it runs ({@link #commandLine}); reading every command's options costs about a
   * tenth of a second at each start.
   */
  static final List<Class<?>> COMMANDS = List.of(RunCommand.class, StartCommand.class, StopCommand.class,
      StatusCommand.class, InfoCommand.class, UserCommand.class, ProfileCommand.class, SetCommand.class,
      BackupCommand.class, FreeSpaceCommand.class, ReportCommand.class, JobsCommand.class, BrowseCommand.class,
      SearchCommand.class, RestoreCommand.class, RepoCommand.class, CatalogCommand.class, RecoveryCommand.class,
      CommandLine.HelpCommand.class);

  public static void main(String[] args) {
    CompilerDirectives.startFor(args); // first: it should be in place before the compilers get busy
    au.com.backup247.agent.repo.store.HttpProxy.allowBasicLoginOnTunnels();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    CommandLine cl = commandLine(args.length > 0 ? args[0] : null, args.length > 1 ? args[1] : null);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof AgentException a) {
        line.getErr().println("b247: " + a.getMessage());
        line.getErr().flush();
        return a.failure().exitCode();
      }
      if (ex instanceof au.com.backup247.agent.repo.error.RepoException r) {
        line.getErr().println("b247: " + r.getMessage());
        line.getErr().flush();
        return 1;
      }
      throw ex;
    });
    return cl.execute(args);
  }

  /**
   * The command line with the subcommand named {@code first} only, or with every subcommand when
   * {@code first} names none (no argument, an option such as --help, {@code help}, a typo): then
   * usage and error messages list them all.
   */
  static CommandLine commandLine(String first) {
    return commandLine(first, null);
  }

  /**
   * {@link #commandLine(String)}; for {@code repo}, also only its subcommand named {@code second}
   * ({@link RepoCommand#commandLine}).
   */
  static CommandLine commandLine(String first, String second) {
    return withSubcommands(new CommandLine(new B247()), COMMANDS, first, second);
  }

  /**
   * {@code cl} with the command of {@code commands} named {@code name} only (and, for {@code repo},
   * only its subcommand named {@code next}), or with all of them in order, each with all of its own,
   * when {@code name} names none of them ({@code help} included: it needs the others).
   */
  static CommandLine withSubcommands(CommandLine cl, List<Class<?>> commands, String name, String next) {
    for (Class<?> c : commands) {
      if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(name)) {
        return cl.addSubcommand(branch(c, next));
      }
    }
    for (Class<?> c : commands) {
      cl.addSubcommand(branch(c, null));
    }
    return cl;
  }

  /** The command {@code c}, or for {@code repo} its command line with the subcommand named {@code next}. */
  private static Object branch(Class<?> c, String next) {
    return c == RepoCommand.class ? RepoCommand.commandLine(next) : c;
  }

  @Override
  public void run() {
    commandLine(null).usage(System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"B247 Agent " + Version.get(),
          "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ")"};
    }
  }
}
