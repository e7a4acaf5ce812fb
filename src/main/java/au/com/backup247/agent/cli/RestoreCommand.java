package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 restore SET [--destination NAME] [--job ID] [--path P]... (--original | --target DIR)
 * [--all-versions] [--delete-unmatched --yes] [--verify] [--wait]}: restores through the running
 * agent ({@code POST /api/v1/sets/{id}/restore}); with {@code --wait}, prints the report's status
 * and exits as {@link JobOutcome} says.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restore files of a set (in the running agent) to their original location or a folder.")
final class RestoreCommand implements Callable<Integer> {
  @Mixin
  SetArg set;

  @Option(names = "--destination", paramLabel = "NAME",
      description = "Restore from this destination (may be left out when the set has only one).")
  String destination;

  @Option(names = "--job", paramLabel = "ID", description = "As of this job (see `b247 browse`); default: latest.")
  String job;

  @Option(names = "--path", paramLabel = "P", description = "Only this absolute path as backed up (repeatable).")
  List<String> paths = new ArrayList<>();

  /** Where to: exactly one of the two. */
  static final class Where {
    @Option(names = "--original", required = true, description = "Restore to the original location.")
    boolean original;

    @Option(names = "--target", required = true, paramLabel = "DIR", description = "Restore under this folder.")
    Path target;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Where where;

  @Option(names = "--all-versions", description = "Also restore older versions (named with their job).")
  boolean allVersions;

  @Option(names = "--delete-unmatched", description = "Delete data in the restored folders that is not in the backup.")
  boolean deleteUnmatched;

  @Option(names = "--yes", description = "Confirm --delete-unmatched.")
  boolean yes;

  @Option(names = "--verify", description = "Re-read every restored file and compare it with what was written.")
  boolean verify;

  @Option(names = "--wait", description = {"Wait until the restore ends, showing its progress, and print its status.",
      "Ctrl-C asks whether to cancel the restore or leave it running (not on a terminal: it is left running,",
      "exit status 130)."})
  boolean waitForEnd;

  @Option(names = "--cancel", description = "Cancel the set's running restore (and wait until it stopped).")
  boolean cancel;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "With --wait not on a terminal: a progress line at most every SECONDS (default ${DEFAULT-VALUE}).")
  int progressEvery;

  @Override
  public Integer call() throws Exception {
    if (deleteUnmatched && !yes) {
      System.err.println("--delete-unmatched deletes files that are not in the backup; add --yes to confirm");
      return 2;
    }
    AgentApi api = set.api();
    SetRef ref = set.resolve(api);
    if (cancel) {
      JsonObject c = api.post(ref.path() + "/restore/cancel", new JsonObject());
      System.out.println("cancelling the restore of " + ref.label() + " (report " + c.getLong("reportId") + ")");
      List<JsonObject> r = new JobWatch(api, "the restore of " + ref.label(), null, progressEvery)
          .await(List.of(c.getLong("reportId")));
      if (r == null) {
        return JobWatch.LEFT_RUNNING;
      }
      System.out.println(r.get(0).getString("status") + " (see `b247 report show " + c.getLong("reportId") + "`)");
      return 0;
    }
    if (where == null) {
      System.err.println("say where to restore to: --original or --target DIR");
      return 2;
    }
    JsonObject body = new JsonObject().put("destination", ref.destination(destination)).put("allVersions", allVersions)
        .put("deleteUnmatched", deleteUnmatched).put("confirmDeleteUnmatched", deleteUnmatched && yes)
        .put("verifyChecksums", verify)
        .put("target", where.original ? "original" : where.target.toAbsolutePath().normalize().toString());
    if (job != null) {
      body.put("job", job);
    }
    if (!paths.isEmpty()) {
      body.put("paths", new JsonArray(new ArrayList<Object>(paths)));
    }
    JsonObject started = api.post(ref.path() + "/restore", body);
    long id = started.getLong("reportId");
    System.out.println("restore of " + ref.label() + " from \"" + started.getString("destination") + "\" (job "
        + started.getString("job") + ") to " + started.getString("target") + " started: report " + id);
    if (!waitForEnd) {
      return 0;
    }
    List<JsonObject> ended = new JobWatch(api, "the restore of " + ref.label(),
        () -> api.post(ref.path() + "/restore/cancel", new JsonObject()), progressEvery).await(List.of(id));
    if (ended == null) {
      return JobWatch.LEFT_RUNNING;
    }
    JsonObject r = ended.get(0);
    JsonObject s = r.getJsonObject("stats");
    System.out.println(r.getString("status") + ": " + s.getLong("files", 0L) + " files, " + s.getLong("folders", 0L)
        + " folders, " + s.getLong("symlinks", 0L) + " symlinks, " + s.getLong("bytes", 0L) + " bytes, "
        + s.getLong("failed", 0L) + " failed, " + s.getLong("deleted", 0L) + " deleted (see `b247 report show "
        + id + "`)");
    if (!r.getString("status").startsWith("Completed") || r.getString("status").contains("warning")) {
      for (String reason : JobWatch.reasons(api, id, 3)) {
        System.out.println("  " + (r.getString("status").startsWith("Completed") ? "warning: " : "reason: ") + reason);
      }
    }
    return JobOutcome.exitCode(List.of(r.getString("status")));
  }
}
