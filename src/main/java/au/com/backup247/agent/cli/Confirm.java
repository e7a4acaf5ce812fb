package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.io.Console;
import java.util.Locale;

/** Asks before something that cannot be undone; without a terminal, {@code --yes} must say so. */
final class Confirm {
  private Confirm() {
  }

  /** Whether the user answers yes to "Delete WHAT? [y/N]"; prints "not deleted" when not. */
  static boolean delete(String what) {
    Console console = System.console();
    if (console == null) {
      throw new AgentException(Failure.BAD_REQUEST, "not deleting " + what + " without confirmation; pass --yes");
    }
    String answer = console.readLine("Delete %s? [y/N] ", what);
    boolean yes = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    if (!yes) {
      System.out.println("not deleted");
    }
    return yes;
  }
}
