package au.com.backup247.agent.cli;

import au.com.backup247.agent.bandwidth.BandwidthException;
import au.com.backup247.agent.bandwidth.BandwidthPeriod;
import au.com.backup247.agent.bandwidth.Mode;
import au.com.backup247.agent.bandwidth.Rate;
import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationException;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.SetName;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --repo URL --key-file FILE --credentials FILE [--bandwidth RATE]}, shared by the repo
 * commands, and {@code --set ID|NAME} ({@link SetOption}) for those that read a set's repository
 * under a destination root ({@link RepoLocator}). Secrets come only from the key file, the
 * credentials file or the environment.
 */
final class RepoOptions {
  static final String REPO_HELP = "The repository: a folder (or file:///path), sftp://user@host:port/path, "
      + "ftp://… or ftps://user@host:port/path, s3://bucket/prefix?endpoint=…&region=…, "
      + "azure://account/container/prefix?endpoint=…; S3 and Azure take &proxy=http://host:port.";
  static final String CREDENTIALS_HELP = "Properties file with the destination's secrets (password, identity-file, "
      + "known-hosts, host-key-fingerprint, access-key, secret-key, connection-string, account-key, proxy-username, "
      + "proxy-password, …); must not be readable by others (chmod 600).";

  @Mixin
  Location location;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "File holding the Default key (44 base64 characters), the password or the custom key.")
  Path keyFile;

  @Mixin
  BandwidthOptions bandwidth;

  /** {@code --bandwidth RATE [--bandwidth-mode shared|independent] [--bandwidth-period DAYS@HH:MM-HH:MM]}. */
  static final class BandwidthOptions {
    @Option(names = "--bandwidth", paramLabel = "RATE",
        description = "Limit transfers, e.g. 10Mibit/s, 500kbit/s, 2MB/s, 1.5 MiB/s (default: no limit).")
    String rate;

    @Option(names = "--bandwidth-mode", paramLabel = "MODE", defaultValue = "shared",
        description = "shared (default: one limit for all destinations together) or independent (each its own).")
    String mode;

    @Option(names = "--bandwidth-period", paramLabel = "DAYS@HH:MM-HH:MM",
        description = "Limit only within this period, local time, e.g. mon-fri@09:00-17:00 (default: always).")
    String period;

    /** One throttle for the whole command (shared mode: one bucket for every destination). */
    Throttle throttle() {
      return rate == null ? Throttle.none()
          : Throttle.of(option("--bandwidth", () -> Rate.parse(rate)),
              option("--bandwidth-mode", () -> Mode.parse(mode)), period == null ? null
                  : option("--bandwidth-period", () -> BandwidthPeriod.parse(period, ZoneId.systemDefault())));
    }

    /** Runs {@code s}; a {@link BandwidthException} becomes a usage error naming {@code option} (exit 2). */
    private static <T> T option(String option, Supplier<T> s) {
      try {
        return s.get();
      } catch (BandwidthException e) {
        throw new AgentException(Failure.BAD_REQUEST, option + ": " + e.getMessage());
      }
    }
  }

  /**
   * {@code --repo URL [--credentials FILE]}: where one repository is and the secrets that reach it,
   * shared by the commands on one repository.
   */
  static final class Location {
    @Option(names = "--repo", paramLabel = "URL", required = true, description = REPO_HELP)
    String repo;

    @Option(names = "--credentials", paramLabel = "FILE", description = CREDENTIALS_HELP)
    Path credentials;

    /** The repository's location. */
    DestinationUrl url() {
      return RepoOptions.url(repo);
    }

    /** The secrets of --credentials, or the environment's. */
    Credentials credentials() {
      return loadCredentials(credentials);
    }
  }

  /** The repository's location. */
  DestinationUrl url() {
    return location.url();
  }

  /** The repository's store, with retries for remote destinations and the bandwidth limit. */
  Store store() {
    return store(url(), location.credentials(), throttle());
  }

  Throttle throttle() {
    return bandwidth == null ? Throttle.none() : bandwidth.throttle();
  }

  /**
   * {@code --repo URL... [--key-file FILE] [--credentials FILE...] [--bandwidth ...]}: the options of
   * a command that works on several repositories with one key ({@code repo backup}, {@code repo prune}).
   */
  static final class ManyRepos {
    @Option(names = "--repo", paramLabel = "URL", required = true, description = {REPO_HELP,
        "Repeat for several destinations (create the others with repo init --like FIRST)."})
    List<String> repos;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Key, password or custom key file.")
    Path keyFile;

    @Option(names = "--credentials", paramLabel = "FILE", description = {CREDENTIALS_HELP,
        "Give it once for all destinations, or once per --repo in the same order."})
    List<Path> credentials;

    @Mixin
    BandwidthOptions bandwidth;

    /** How many --repo were given. */
    int count() {
      return repos.size();
    }

    /** The {@code i}-th --repo's location. */
    DestinationUrl url(int i) {
      return RepoOptions.url(repos.get(i));
    }

    /** The credentials of every --repo, in order (see {@link RepoOptions#credentialsPerRepo}). */
    List<Credentials> credentials() {
      return credentialsPerRepo(credentials, repos.size());
    }

    /** The key, read from --key-file or asked for. */
    String key() {
      return readKey(keyFile);
    }

    /** One throttle for every destination of the command (see {@link BandwidthOptions#throttle}). */
    Throttle throttle() {
      return bandwidth.throttle();
    }
  }

  /** {@code --set ID|NAME}: which backup set of a destination root. */
  static final class SetOption {
    @Option(names = "--set", paramLabel = "ID|NAME", description = RepoLocator.SET_HELP)
    String value;
  }

  /** The repository at --repo, or the set {@code set} names in the destination root there. */
  Repository open(SetOption set) {
    return open(locate(set), readKey(keyFile));
  }

  /** Where the repository at --repo (or the set {@code set} names under it) is. */
  RepoLocator.Located locate(SetOption set) {
    return RepoLocator.locate(url(), location.credentials(), throttle(), set == null ? null : set.value);
  }

  /**
   * Opens the located repository with {@code secret}: it must hold the set it was chosen as, and
   * one chosen by its name must carry that name written with its key (FORMAT.md §12). Closes the
   * store when that fails.
   */
  static Repository open(RepoLocator.Located at, String secret) {
    Repository.Expectation e = Repository.Expectation.fromSecret(secret);
    Repository r = openRepository(at.store(), secret, at.setId() == null ? e
        : new Repository.Expectation(at.setId(), e.cipher(), e.encrypted(), e.keyType(), e.format(), e.keyId()));
    if (at.byName() != null) {
      try {
        String recorded = SetName.verify(r).orElse(null);
        if (!at.byName().equalsIgnoreCase(recorded)) {
          throw new RepoException("backup set " + r.config().setId() + " in " + r.store().name() + " is no longer "
              + "named \"" + at.byName() + "\"; choose it by its id");
        }
      } catch (RuntimeException ex) {
        r.close();
        throw ex;
      }
    }
    return r;
  }

  /** Opens the repository in {@code store}; closes the store when that fails. */
  static Repository openRepository(Store store, String secret) {
    return openRepository(store, secret, Repository.Expectation.fromSecret(secret));
  }

  private static Repository openRepository(Store store, String secret, Repository.Expectation expected) {
    try {
      return Repository.open(store, secret, expected);
    } catch (RuntimeException e) {
      closeQuietly(store);
      throw e;
    }
  }

  static DestinationUrl url(String text) {
    return usage(() -> DestinationUrl.parse(text));
  }

  static Credentials loadCredentials(Path file) {
    return usage(() -> Credentials.load(file));
  }

  /**
   * The credentials of each of {@code repos} destinations, in order: {@code --credentials} given once
   * serves them all, or once per {@code --repo} in the same order; none means the environment's.
   */
  static List<Credentials> credentialsPerRepo(List<Path> credentials, int repos) {
    List<Path> creds = credentials == null ? List.of() : credentials;
    if (creds.size() > 1 && creds.size() != repos) {
      throw new AgentException(Failure.BAD_REQUEST, "give --credentials once for all destinations or once per "
          + "--repo: got " + creds.size() + " for " + repos + " destinations");
    }
    List<Credentials> loaded = new ArrayList<>();
    for (Path p : creds) {
      loaded.add(loadCredentials(p));
    }
    if (loaded.isEmpty()) {
      loaded.add(loadCredentials(null));
    }
    List<Credentials> out = new ArrayList<>(repos);
    for (int i = 0; i < repos; i++) {
      out.add(loaded.get(loaded.size() == 1 ? 0 : i));
    }
    return out;
  }


  static Store store(DestinationUrl url, Credentials credentials, Throttle throttle) {
    RetryingStore.Policy retries = retryPolicy(System.getenv(RETRY_MAX_WAIT));
    return usage(() -> Destinations.open(url, credentials, throttle, retries));
  }

  /** The environment variable that caps the wait between two tries of a remote operation (README). */
  static final String RETRY_MAX_WAIT = "B247_RETRY_MAX_WAIT";

  /**
   * The retries of remote destinations: {@link RetryingStore.Policy#DEFAULT}, or with every wait
   * capped at {@code maxWaitSeconds} (seconds, 0.001 to 3600) when it is set.
   */
  static RetryingStore.Policy retryPolicy(String maxWaitSeconds) {
    RetryingStore.Policy d = RetryingStore.Policy.DEFAULT;
    if (maxWaitSeconds == null || maxWaitSeconds.isBlank()) {
      return d;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(maxWaitSeconds.strip());
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds >= 0.001 && seconds <= 3600)) {
      throw new AgentException(Failure.BAD_REQUEST, RETRY_MAX_WAIT + " must be a number of seconds from 0.001 to "
          + "3600, got \"" + maxWaitSeconds + "\"");
    }
    Duration max = Duration.ofNanos(Math.round(seconds * 1e9));
    return new RetryingStore.Policy(d.maxAttempts(), d.baseDelay().compareTo(max) > 0 ? max : d.baseDelay(), max,
        d.maxElapsed());
  }

  /** Runs {@code s}; a {@link RepoException} becomes a usage error (exit 2). */
  static <T> T usageRepo(Supplier<T> s) {
    try {
      return s.get();
    } catch (RepoException e) {
      throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
    }
  }

  /** Runs {@code s}; a {@link DestinationException} becomes a usage error (one line, exit 2). */
  static <T> T usage(Supplier<T> s) {
    try {
      return s.get();
    } catch (DestinationException e) {
      throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already failing; the first error is the one to report
    }
  }

  /** A job log for the terminal: warnings and errors to stderr; info lines to stdout when verbose. */
  static au.com.backup247.agent.backup.JobLog terminalLog(boolean verbose) {
    return new au.com.backup247.agent.backup.JobLog(java.time.Clock.systemUTC(), terminal(verbose));
  }

  /** Prints warnings and errors on standard error, info lines on standard output when {@code verbose}. */
  static java.util.function.Consumer<au.com.backup247.agent.backup.JobLog.Line> terminal(boolean verbose) {
    return line -> {
      if (line.level() != au.com.backup247.agent.backup.JobLog.Level.INFO) {
        System.err.println(line.level() + " " + line.message());
      } else if (verbose) {
        System.out.println(line.message());
      }
    };
  }

  static String readKey(Path keyFile) {
    if (keyFile == null) {
      return null;
    }
    try {
      String s = Files.readString(keyFile, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return (nl >= 0 ? s.substring(0, nl) : s).strip();
    } catch (IOException e) {
      throw new AgentException(Failure.BAD_REQUEST, "key file " + keyFile + " cannot be read: "
          + au.com.backup247.agent.fs.IoReason.of(e));
    }
  }
}
