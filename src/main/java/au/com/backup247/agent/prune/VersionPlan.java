package au.com.backup247.agent.prune;

import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.retention.Plan;
import au.com.backup247.agent.retention.RetentionPlanner;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.retention.VersionInfo;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The versions of a repository as the prune sees them (replayed from the segments, as
 * {@link au.com.backup247.agent.repo.History} does) and the retention planner's decision for each.
 */
final class VersionPlan {
  private VersionPlan() {
  }

  /** A version and the jobs it lived in: added by {@code firstJob}, ended by {@code endJob} (null: current). */
  record Span(FileVersion version, String firstJob, String endJob) {
  }

  /** Every version with the jobs it lived in, replayed from the segments (as History does). */
  static List<Span> replay(Map<String, IndexSegment> segments) {
    List<Span> spans = new ArrayList<>();
    Map<String, Integer> open = new HashMap<>();
    for (Map.Entry<String, IndexSegment> e : segments.entrySet()) {
      String job = e.getKey();
      for (String p : e.getValue().ended()) {
        close(spans, open, p, job);
      }
      for (FileVersion v : e.getValue().added()) {
        close(spans, open, v.path(), job);
        open.put(v.path(), spans.size());
        spans.add(new Span(v, job, null));
      }
    }
    return spans;
  }

  private static void close(List<Span> spans, Map<String, Integer> open, String path, String job) {
    Integer i = open.remove(path);
    if (i != null) {
      Span s = spans.get(i);
      spans.set(i, new Span(s.version(), s.firstJob(), job));
    }
  }

  /**
   * The planner's decision for every version, path by path. A folder version the planner removes
   * is kept while any kept version lies below it, so a kept file never loses its folder.
   */
  static Map<Span, Plan.Decision> plan(List<Span> spans, Map<String, Instant> jobTimes, RetentionPolicy policy,
      ZoneId zone, Instant now) {
    Map<String, List<Span>> byPath = new TreeMap<>();
    for (Span s : spans) {
      byPath.computeIfAbsent(s.version().path(), k -> new ArrayList<>()).add(s);
    }
    List<Instant> times = new ArrayList<>(jobTimes.values());
    Map<Span, Plan.Decision> out = new HashMap<>();
    TreeSet<String> keptPaths = new TreeSet<>();
    List<Span> folders = new ArrayList<>();
    for (List<Span> versions : byPath.values()) {
      if (versions.size() == 1 && versions.get(0).endJob() == null) {
        keptPaths.add(versions.get(0).version().path());
        continue; // only a current version: nothing to decide
      }
      List<VersionInfo> infos = new ArrayList<>();
      for (Span s : versions) {
        Instant start = jobTimes.get(s.firstJob());
        Instant end = s.endJob() == null ? null : jobTimes.get(s.endJob());
        infos.add(new VersionInfo(s.firstJob(), start, end == null ? null : end.isBefore(start) ? start : end));
      }
      Plan plan = RetentionPlanner.plan(infos, times, policy, now, zone);
      for (int i = 0; i < versions.size(); i++) {
        Span s = versions.get(i);
        Plan.Decision d = plan.decisions().get(i);
        out.put(s, d);
        if (d.action() == Plan.Action.KEEP) {
          keptPaths.add(s.version().path());
        } else if (s.version().kind() == FileVersion.FOLDER) {
          folders.add(s);
        }
      }
    }
    folders.sort((a, b) -> Integer.compare(b.version().path().length(), a.version().path().length()));
    for (Span f : folders) {
      String path = f.version().path();
      String prefix = path.endsWith("/") ? path : path + "/";
      String below = keptPaths.ceiling(prefix);
      if (below != null && below.startsWith(prefix)) {
        out.put(f, new Plan.Decision(out.get(f).version(), Plan.Action.KEEP, "folder of kept versions"));
        keptPaths.add(path);
      }
    }
    return out;
  }

  static Instant started(Manifest m) {
    String s = m.get("started");
    try {
      if (s != null && !s.isEmpty()) {
        return Instant.parse(s);
      }
    } catch (DateTimeParseException e) {
      // fall back to the job id
    }
    String id = m.jobId().length() >= 19 ? m.jobId().substring(0, 19) : m.jobId();
    try {
      return LocalDateTime.parse(id, DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new RepoException("job " + m.jobId() + " has no start time; cannot apply a retention policy");
    }
  }
}
