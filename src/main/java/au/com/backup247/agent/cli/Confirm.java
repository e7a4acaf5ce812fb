package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.io.Console;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --yes}, shared by the commands that delete: asks before something that cannot be undone;
 * without a terminal, {@code --yes} must say so.
 */
final class Confirm {
  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  /** Whether to delete WHAT: --yes, or the user answers yes to "Delete WHAT? [y/N]" (else prints "not deleted"). */
  boolean delete(String what) {
    if (yes) {
      return true;
    }
    Console console = System.console();
    if (console == null) {
      throw new AgentException(Failure.BAD_REQUEST, "not deleting " + what + " without confirmation; pass --yes");
    }
    String answer = console.readLine("Delete %s? [y/N] ", what);
    boolean confirmed = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    if (!confirmed) {
      System.out.println("not deleted");
    }
    return confirmed;
  }
}
