package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.prune.Pruner;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.retention.RetentionJson;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 repo prune}: applies a retention policy to one or more repositories (guide ch. 9.9.2
 * "Space Freeing Up"; FORMAT.md §10): removes the versions the policy does not keep, deletes blocks
 * nothing needs and repacks mostly-empty ones. {@code --dry-run} prints the plan and changes
 * nothing. Exits 1 when any repository failed or refused.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, description = {
    "Apply a retention policy: remove old versions and free the space they use (Space Freeing Up).",
    "Give exactly one of --policy, --keep-days, --keep-jobs. Current versions are never removed."})
final class RepoPruneCommand implements Callable<Integer> {
  @Mixin
  RepoOptions.ManyRepos destinations;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--policy", paramLabel = "FILE", description = {"Retention policy as JSON, e.g.",
      "{\"type\":\"simple\",\"keepDays\":7} or {\"type\":\"advanced\",\"policies\":[...]} (as in a backup set)."})
  Path policyFile;

  @Option(names = "--keep-days", paramLabel = "N",
      description = "Keep superseded and deleted versions N days (1..365).")
  Integer keepDays;

  @Option(names = "--keep-jobs", paramLabel = "N",
      description = "Keep superseded and deleted versions N jobs (1..365).")
  Integer keepJobs;

  @Option(names = "--time-zone", paramLabel = "ZONE",
      description = "Zone of the advanced policies' calendar dates (default: this computer's).")
  String timeZone;

  @Option(names = "--dry-run", description = "Print what would be removed and freed; change nothing.")
  boolean dryRun;

  @Option(names = "--repack-below", paramLabel = "PCT", defaultValue = "50",
      description = "Repack blocks whose live data is below PCT % of the block (0: never; default 50).")
  int repackBelow;

  @Option(names = "--trust-clock", description = {"Prune although the clock is before the newest job or more than",
      "a year after it (normally refused: a clock set back or ahead would remove the wrong versions)."})
  boolean trustClock;

  @Option(names = {"-v", "--verbose"}, description = "Print every removed version with its reason.")
  boolean verbose;

  @Override
  public Integer call() {
    RetentionPolicy policy = policy();
    ZoneId zone = zone();
    if (repackBelow < 0 || repackBelow > 100) {
      throw new AgentException(Failure.BAD_REQUEST, "--repack-below must be 0..100, got " + repackBelow);
    }
    List<Credentials> loaded = destinations.credentials();
    List<RepoLocator.Located> located = new ArrayList<>();
    for (int i = 0; i < destinations.count(); i++) {
      located.add(RepoLocator.locate(destinations.url(i), loaded.get(i), destinations.throttle(), set.value));
    }
    String secret = destinations.key();
    Pruner.Options options = new Pruner.Options(policy, zone, dryRun, repackBelow, trustClock, Pruner.GRACE);
    int failed = 0;
    for (RepoLocator.Located at : located) {
      Store store = at.store();
      try (Repository repo = RepoOptions.open(at, secret)) {
        JobLog log = RepoOptions.terminalLog(false);
        Pruner.Result r = new Pruner(repo, options, log, Clock.systemUTC()).run();
        if (dryRun || verbose) {
          for (Pruner.Removed v : r.removed()) {
            System.out.println((dryRun ? "would remove " : "removed ") + v.path() + " (job " + v.addedBy()
                + " until job " + v.endedBy() + "): " + v.reason());
          }
        }
        System.out.println(store.name() + ": " + r.summary());
      } catch (RepoException e) {
        if (destinations.count() == 1) {
          throw e;
        }
        System.out.println(store.name() + ": FAILED: " + e.getMessage());
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private RetentionPolicy policy() {
    int given = (policyFile != null ? 1 : 0) + (keepDays != null ? 1 : 0) + (keepJobs != null ? 1 : 0);
    if (given != 1) {
      throw new AgentException(Failure.BAD_REQUEST, "give exactly one of --policy FILE, --keep-days N, --keep-jobs N");
    }
    if (policyFile != null) {
      JsonObject json;
      try {
        json = new JsonObject(Files.readString(policyFile, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AgentException(Failure.BAD_REQUEST, "policy file " + policyFile + " cannot be read: "
            + au.com.backup247.agent.fs.IoReason.of(e));
      } catch (DecodeException e) {
        throw new AgentException(Failure.BAD_REQUEST, "policy file " + policyFile + " is not a JSON object: "
            + au.com.backup247.agent.config.JsonErrors.at(e));
      }
      Decoded<RetentionPolicy> d = RetentionJson.decode(json, "retention");
      if (!d.isValid()) {
        throw new AgentException(Failure.BAD_REQUEST, "policy file " + policyFile + ": " + describe(d.errors()));
      }
      return d.value().orElseThrow();
    }
    int n = keepDays != null ? keepDays : keepJobs;
    if (n < 1 || n > 365) {
      throw new AgentException(Failure.BAD_REQUEST, (keepDays != null ? "--keep-days" : "--keep-jobs")
          + " must be 1..365, got " + n);
    }
    return new RetentionPolicy.Simple(n, keepDays != null ? RetentionPolicy.Unit.DAYS : RetentionPolicy.Unit.JOBS);
  }

  private ZoneId zone() {
    if (timeZone == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new AgentException(Failure.BAD_REQUEST, "--time-zone: unknown zone \"" + timeZone + "\"");
    }
  }

  private static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }
}
