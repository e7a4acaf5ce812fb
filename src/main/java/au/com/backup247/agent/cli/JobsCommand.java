package au.com.backup247.agent.cli;

import picocli.CommandLine.Command;

/** {@code b247 jobs}: the earlier name of {@code b247 report list}, kept as an alias (same options and output). */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "List backup and restore reports, newest first (alias of `b247 report list`).")
final class JobsCommand extends ReportCommand.ListReports {
}
