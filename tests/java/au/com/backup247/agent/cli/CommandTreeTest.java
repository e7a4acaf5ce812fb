package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line builds only the subcommand it runs (reading every command's options slows each
 * start); usage, help and a mistyped command still see them all, in the same order.
 */
class CommandTreeTest {
  private static final List<String> ALL = List.of("run", "start", "stop", "status", "info", "user", "profile", "set",
      "backup", "free-space", "report", "jobs", "browse", "search", "restore", "repo", "catalog", "recovery", "help");
  private static final List<String> REPO = List.of("init", "backup", "restore", "jobs", "ls", "check", "decrypt", "test",
      "prune", "recover-key", "help");

  @Test
  void aCommandBuildsOnlyItsOwnBranch() {
    assertEquals(List.of("repo"), List.copyOf(B247.commandLine("repo").getSubcommands().keySet()));
    assertEquals(List.of("status"), List.copyOf(B247.commandLine("status").getSubcommands().keySet()));
    assertEquals(List.of("backup"), List.copyOf(repoOf(B247.commandLine("repo", "backup")).getSubcommands().keySet()));
    assertEquals(List.of("restore"), List.copyOf(repoOf(B247.commandLine("repo", "restore")).getSubcommands().keySet()));
  }

  @Test
  void repoUsageHelpAndTyposSeeEveryRepositoryCommand_inOrder() {
    for (String second : new String[] {null, "--help", "help", "bakup", "-h"}) {
      assertEquals(REPO, List.copyOf(repoOf(B247.commandLine("repo", second)).getSubcommands().keySet()),
          String.valueOf(second));
    }
    for (String[] args : new String[][] {{"repo"}, {"repo", "--help"}}) {
      CliRun.Result usage = CliRun.b247(args);
      assertEquals(0, usage.exit(), usage.all());
      for (String c : REPO) {
        assertTrue(usage.out().lines().anyMatch(l -> l.strip().startsWith(c + " ") || l.strip().equals(c)),
            c + " in " + usage.out());
      }
    }
    CliRun.Result typo = CliRun.b247("repo", "bakup");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("Unmatched argument at index 1: 'bakup'"), typo.err());
    CliRun.Result help = CliRun.b247("repo", "help", "backup");
    assertEquals(0, help.exit(), help.all());
    assertTrue(help.out().contains("Usage: b247 repo backup"), help.out());
  }

  private static CommandLine repoOf(CommandLine b247) {
    return b247.getSubcommands().get("repo");
  }

  @Test
  void usageHelpAndTyposSeeEveryCommand_inOrder() {
    for (String first : new String[] {null, "--help", "help", "--version", "bakup", "@args"}) {
      assertEquals(ALL, List.copyOf(B247.commandLine(first).getSubcommands().keySet()), String.valueOf(first));
    }
    CliRun.Result usage = CliRun.b247("--help");
    for (String c : ALL) {
      assertTrue(usage.out().lines().anyMatch(l -> l.strip().startsWith(c + " ") || l.strip().equals(c)), c);
    }
    CliRun.Result typo = CliRun.b247("bakup");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("Unmatched argument at index 0: 'bakup'"), typo.err());
    CliRun.Result help = CliRun.b247("help", "repo");
    assertEquals(0, help.exit(), help.all());
    assertTrue(help.out().contains("Usage: b247 repo"), help.out());
    for (String first : new String[] {null, "--help", "help"}) {
      assertEquals(REPO, List.copyOf(repoOf(B247.commandLine(first)).getSubcommands().keySet()), String.valueOf(first));
    }
  }

  @Test
  void aSubcommandsUsageIsUnchanged() {
    CommandLine full = B247.commandLine(null).getSubcommands().get("repo").getSubcommands().get("backup");
    CommandLine lean = B247.commandLine("repo").getSubcommands().get("repo").getSubcommands().get("backup");
    assertEquals(full.getUsageMessage(), lean.getUsageMessage());
    CommandLine leanest = repoOf(B247.commandLine("repo", "backup")).getSubcommands().get("backup");
    assertEquals(full.getUsageMessage(), leanest.getUsageMessage());
  }
}
