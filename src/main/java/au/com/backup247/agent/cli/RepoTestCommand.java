package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import au.com.backup247.agent.destination.Probe;
import au.com.backup247.agent.repo.SetFolders;
import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.Store;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 repo test}: the "Test" button. Connects, writes a probe object, reads it back, lists
 * it and deletes it, printing each step with its latency; on failure names the step, the reason and
 * whether it is permanent or transient, and exits 1. Runs without retries, so what is printed is
 * what happened. With an HTTP proxy ({@code ?proxy=…} on an S3 or Azure URL) every step goes
 * through it, so this is also the proxy's "Test connection" (guide ch. 9.8.1): a proxy that is down
 * or refuses the login fails the first step, {@code connect}, naming the proxy. Then says what it
 * found there: a repository, a destination root with its backup sets, or an empty location.
 */
@Command(name = "test", mixinStandardHelpOptions = true, description = {
    "Check that a destination works: connect, write a probe object under probe/, read it back and compare,",
    "list it and delete it, with each step's latency. Needs no repository (an empty folder or bucket works).",
    "With ?proxy=http://host:port on an S3 or Azure URL, this also tests the HTTP proxy (login from",
    "proxy-username and proxy-password in the credentials file).",
    "Then says what is there: a repository, a destination root with its backup sets, or nothing yet."})
final class RepoTestCommand implements Callable<Integer> {
  @Mixin
  RepoOptions.Location location;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "65536",
      description = "Size of the probe object (default 65536).")
  int size;

  @Override
  public Integer call() {
    if (size < 1 || size > 64 << 20) {
      throw new AgentException(Failure.BAD_REQUEST, "--size must be between 1 and " + (64 << 20) + " bytes, got "
          + size);
    }
    DestinationUrl url = location.url();
    Credentials c = location.credentials();
    try (Store store = RepoOptions.usage(() -> Destinations.openBare(url, c))) {
      System.out.println("testing " + store.name());
      HttpProxy proxy = Destinations.proxy(url, c);
      if (proxy != null) {
        System.out.println("through the HTTP proxy " + proxy);
      }
      Probe.Report report = Probe.run(store, size, new SecureRandom());
      for (Probe.Step s : report.steps()) {
        System.out.println(String.format(Locale.ROOT, "%-7s %-6s %9.1f ms  %s", s.name(), s.ok() ? "ok" : "FAILED",
            s.millis(), s.ok() ? s.detail() : kind(s) + " error: " + s.detail()));
      }
      if (report.leftOver() != null) {
        System.out.println("note: " + report.leftOver());
      }
      if (report.failed().isPresent()) {
        Probe.Step f = report.failed().get();
        System.err.println("b247: " + store.name() + ": test failed at step " + f.name() + " (" + kind(f) + "): "
            + f.detail());
        return 1;
      }
      StringBuilder b = new StringBuilder();
      for (Probe.Step s : report.steps()) {
        b.append(b.length() == 0 ? "" : ", ").append(s.name()).append(' ')
            .append(String.format(Locale.ROOT, "%.1f", s.millis())).append(" ms");
      }
      System.out.println("ok: " + store.name() + " works (" + b + ")");
      System.out.println(found(url, SetFolders.look(store)));
      return 0;
    }
  }

  /** What the location holds: a repository, a destination root with its sets, or nothing yet. */
  static String found(DestinationUrl url, SetFolders.Contents contents) {
    SetFolders.Found repo = contents.repository();
    if (repo != null) {
      return "found: a repository" + (repo.problem() != null ? " that cannot be read: " + repo.problem()
          : ", backup set " + RepoLocator.label(repo) + " with " + jobs(repo));
    }
    if (!contents.sets().isEmpty()) {
      return "found: " + RepoLocator.describe(url, contents) + " (give it as --repo with --set ID or --set NAME):\n"
          + RepoLocator.table(contents.sets());
    }
    List<String> other = RepoLocator.others(contents);
    return "found: no repository and no backup sets: " + (other.isEmpty() ? "an empty location"
        : "only the folder(s) " + String.join(", ", other));
  }

  private static String jobs(SetFolders.Found f) {
    int n = f.jobIds().size();
    return n == 0 ? "no jobs yet" : n == 1 ? "one job, " + f.lastJob() + " (UTC)"
        : n + " jobs, the last " + f.lastJob() + " (UTC)";
  }

  private static String kind(Probe.Step s) {
    return s.kind().name().toLowerCase(Locale.ROOT);
  }
}
