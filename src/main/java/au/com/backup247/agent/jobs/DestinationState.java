package au.com.backup247.agent.jobs;

import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoConfig;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.sets.Encryption;
import au.com.backup247.agent.sets.Destinations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What the agent remembers of one set's repository at one destination (FORMAT.md §7 "Identity",
 * TEST-MATRIX S5), in {@code <home>/state/<setId>/<destination>.properties} where {@code
 * <destination>} is the first 16 bytes (hex) of the SHA-256 of the destination's URL:
 *
 * <pre>
 * setId, cipher, keyType, format, keyId   the repository's identity, recorded when the agent first
 *                                          opened or created it; every later open must match
 * newestJob, revision                     the newest job seen and the index revision of its manifest
 * blocked, blockedAt                      why retention is blocked for this destination, until a
 *                                          user confirms ({@link #confirm})
 * </pre>
 *
 * A destination that shows an older state (its newest job older than the one seen, the newest job
 * seen missing, or the same newest job with an older index revision: a replayed or rolled-back
 * repository), blocks whose size or contents are not those the index records (swapped), or a
 * backup made with an implausible clock, is reported and blocks retention: a prune on such a state
 * could delete what the user still has. Blocking file I/O: call on a worker thread.
 */
final class DestinationState {
  private final Path file;
  private final Props props;

  private DestinationState(Path file, Props props) {
    this.file = file;
    this.props = props;
  }

  /** The state of set {@code setId} at {@code target} (empty when the agent never opened it). */
  static DestinationState of(Path home, long setId, Destinations.Target target) {
    String key = HexFormat.of().formatHex(Hashes.sha256(target.url().getBytes(StandardCharsets.UTF_8)), 0, 16);
    Path f = home.resolve("state").resolve(Long.toString(setId)).resolve(key + ".properties");
    try {
      return new DestinationState(f, Props.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
    } catch (NoSuchFileException e) {
      return new DestinationState(f, new Props());
    } catch (IOException e) {
      throw new RepoException("the agent's record of destination \"" + target.name() + "\" (" + f
          + ") cannot be read: " + e.getMessage());
    }
  }

  /**
   * What the repository must be: the set's id, cipher and key type (from its settings) and the
   * format and master key recorded when the agent first opened it.
   */
  Repository.Expectation expectation(long setId, Encryption encryption) {
    String format = props.get("format");
    return new Repository.Expectation(Long.toString(setId), encryption.cipher(), encryption.enabled(),
        encryption.enabled() ? encryption.type() : null, format == null ? null : Integer.valueOf(format),
        props.get("keyId"));
  }

  /** Records the identity of {@code repo} when none is recorded yet (first use, or an older agent). */
  void identify(Repository repo) {
    if (props.get("keyId") != null) {
      return;
    }
    RepoConfig c = repo.config();
    props.put("setId", c.setId()).put("cipher", c.cipher().label()).put("keyType", c.keyType().label())
        .put("format", c.format()).put("keyId", repo.masterKey().fingerprint());
    save();
  }

  /** The index revision of a manifest: the newest revision a prune wrote for its segment or checkpoint. */
  static long revision(Manifest m) {
    return Math.max(m.stat("index.rev"), m.stat("checkpoint.rev"));
  }

  /**
   * Compares the repository with what was seen (TEST-MATRIX S5); returns what looks replayed or
   * rolled back, or null. Does not change the record.
   */
  String inspect(Repository repo) {
    String seen = props.get("newestJob");
    if (seen == null) {
      return null;
    }
    List<String> jobs = repo.jobIds();
    String newest = jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
    if (!jobs.contains(seen)) {
      return newest == null || newest.compareTo(seen) < 0
          ? "it shows an older state than the agent has seen: its newest job is " + (newest == null ? "none" : newest)
              + ", the agent has seen job " + seen + " there (replayed, rolled back, or job " + seen + " deleted?)"
          : "job " + seen + ", the newest the agent has seen there, is missing (deleted?)";
    }
    long rev = props.get("revision") == null ? 0 : Long.parseLong(props.get("revision"));
    if (seen.equals(newest) && revision(repo.manifest(seen)) < rev) {
      return "the index of job " + seen + " is at revision " + revision(repo.manifest(seen)) + ", older than revision "
          + rev + " the agent has seen (an older index was put back?)";
    }
    return null;
  }

  /** Remembers the newest job and its revision, never going back. */
  void seen(String newestJob, long revision) {
    String was = props.get("newestJob");
    long rev = props.get("revision") == null ? 0 : Long.parseLong(props.get("revision"));
    if (was == null || newestJob.compareTo(was) > 0 || (newestJob.equals(was) && revision > rev)) {
      props.put("newestJob", newestJob).put("revision", revision);
      save();
    }
  }

  /** Remembers what {@code repo} shows now as seen. */
  void seen(Repository repo) {
    List<String> jobs = repo.jobIds();
    if (!jobs.isEmpty()) {
      String newest = jobs.get(jobs.size() - 1);
      seen(newest, revision(repo.manifest(newest)));
    }
  }

  /** Blocks retention for this destination (the first reason is kept until confirmed). */
  void block(String reason, Instant at) {
    if (props.get("blocked") == null) {
      props.put("blocked", reason.replace('\n', ' ')).put("blockedAt", at.toString());
      save();
    }
  }

  /** Why retention is blocked ("<reason> (since <time>)"), or null. */
  String blocked() {
    String b = props.get("blocked");
    return b == null ? null : b + " (since " + props.get("blockedAt") + ")";
  }

  /**
   * A user confirmed that the destination is as it should be: retention is no longer blocked and
   * what it shows now becomes what was seen. Returns the reason that was cleared, or null.
   */
  String confirm(Repository repo) {
    String was = blocked();
    for (String k : List.of("blocked", "blockedAt", "newestJob", "revision")) {
      props.remove(k);
    }
    List<String> jobs = repo.jobIds();
    if (!jobs.isEmpty()) {
      String newest = jobs.get(jobs.size() - 1);
      props.put("newestJob", newest).put("revision", revision(repo.manifest(newest)));
    }
    save();
    return was;
  }

  private void save() {
    try {
      PrivateFiles.write(file, props.bytes());
    } catch (IOException e) {
      throw new RepoException("the agent's record " + file + " cannot be written: " + e.getMessage());
    }
  }
}
