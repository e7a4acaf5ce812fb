package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power-loss ordering on a local destination (TEST-MATRIX R6): a backup into a fresh repository
 * runs under {@code strace -f}, and the recorded system calls must show, for blocks, index parts and
 * the manifest, the sequence of restic's {@code local.go}: write the temporary file, fsync it,
 * rename it, fsync its folder — and every folder the backup creates ({@code blocks/}, {@code
 * blocks/<job>/}, {@code index/}, {@code jobs/}) synced into its parent before anything is renamed
 * into it. Skipped only where strace cannot trace (no strace, or ptrace not permitted).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DurabilityIT {
  private static final String CALLS = "openat,write,fsync,fdatasync,rename,renameat,renameat2,mkdir,mkdirat";

  /** One completed system call: name, the paths among its arguments, position in completion order. */
  record Call(int index, int pid, String name, List<String> paths) {
  }

  @Test
  void localBackup_syncsEachObjectBeforeItsRename_andEachNewFolderIntoItsParent(@TempDir Path dir) throws Exception {
    AgentProcess.Result probe = AgentProcess.shell(30, "strace", "-f", "-qq", "-o", "/dev/null", "true");
    Assumptions.assumeTrue(probe.exit() == 0, "strace cannot run here: " + probe.all());
    Path src = dir.resolve("src");
    RepoCliIT.tree(src, 7);
    Path repo = dir.resolve("repo");
    Path key = dir.resolve("key");
    AgentProcess.Result init = RepoCliIT.b247(dir, RepoCliIT.withFastKdf("repo", "init", "--repo", repo.toString(),
        "--key-file", key.toString()).toArray(String[]::new));
    assertEquals(0, init.exit(), init.all());
    Path trace = dir.resolve("trace.txt");
    AgentProcess.Result b = AgentProcess.shell(240, "strace", "-f", "--seccomp-bpf", "-y", "-qq", "-o",
        trace.toString(), "-e", "trace=" + CALLS, AgentProcess.java(), "-jar", AgentProcess.JAR, "repo", "backup",
        "--repo", repo.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(0, b.exit(), b.all());
    String root = repo.toRealPath().toString();
    List<Call> calls = parse(Files.readAllLines(trace), root);

    Map<String, Integer> made = new HashMap<>();
    List<Call> renames = new ArrayList<>();
    for (Call c : calls) {
      if (c.name().startsWith("mkdir")) {
        made.putIfAbsent(c.paths().get(0), c.index());
      } else if (c.name().startsWith("rename") && c.paths().get(1).startsWith(root + "/")) {
        renames.add(c);
      }
    }
    Set<String> folders = new TreeSet<>();
    made.keySet().forEach(f -> folders.add(f.substring(root.length())));
    assertTrue(folders.containsAll(List.of("/blocks", "/index", "/jobs")), "folders made: " + folders);
    assertTrue(folders.stream().anyMatch(f -> f.matches("/blocks/[^/]+")), "folders made: " + folders);

    Call manifest = renames.stream().filter(r -> r.paths().get(1).startsWith(root + "/jobs/")).findFirst()
        .orElseThrow(() -> new AssertionError("no manifest renamed into jobs/"));
    for (Call r : renames) {
      String tmp = r.paths().get(0);
      String target = r.paths().get(1);
      String folder = target.substring(0, target.lastIndexOf('/'));
      assertTrue(calls.stream().anyMatch(c -> c.pid() == r.pid() && c.index() < r.index()
          && c.name().matches("f(data)?sync") && c.paths().equals(List.of(tmp))), target + ": no fsync of " + tmp
          + " before its rename");
      int synced = calls.stream().filter(c -> c.pid() == r.pid() && c.index() > r.index() && c.name().equals("fsync")
          && c.paths().equals(List.of(folder))).mapToInt(Call::index).min()
          .orElseThrow(() -> new AssertionError(target + ": its folder " + folder + " is not synced after the rename"));
      if (r != manifest && !target.startsWith(root + "/locks/")) {
        assertTrue(synced < manifest.index(), target + ": folder synced only after the manifest was renamed");
      }
    }
    for (Map.Entry<String, Integer> m : made.entrySet()) {
      String folder = m.getKey();
      String parent = folder.substring(0, folder.lastIndexOf('/'));
      int firstInto = renames.stream().filter(r -> r.paths().get(1).startsWith(folder + "/")).mapToInt(Call::index)
          .min().orElse(Integer.MAX_VALUE);
      assertTrue(calls.stream().anyMatch(c -> c.name().equals("fsync") && c.paths().equals(List.of(parent))
              && c.index() > m.getValue() && c.index() < firstInto),
          "new folder " + folder + " is not synced into " + parent + " before the first rename into it");
    }
  }

  private static final Pattern LINE = Pattern.compile("^(\\d+) +(.*)$");
  private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. (\\w+) resumed>(.*)$");
  private static final Pattern CALL = Pattern.compile("^(\\w+)\\((.*)\\) += (-?\\d+).*$");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FD_PATH = Pattern.compile("^-?\\d+<(.*)>$");

  /** The successful calls that touch paths under {@code root}, in the order they completed. */
  static List<Call> parse(List<String> lines, String root) {
    Map<Integer, String> pending = new HashMap<>();
    List<Call> out = new ArrayList<>();
    for (String line : lines) {
      Matcher l = LINE.matcher(line);
      if (!l.matches()) {
        continue;
      }
      int pid = Integer.parseInt(l.group(1));
      String text = l.group(2);
      if (text.endsWith("<unfinished ...>")) {
        pending.put(pid, text.substring(0, text.length() - "<unfinished ...>".length()).trim());
        continue;
      }
      Matcher r = RESUMED.matcher(text);
      if (r.matches()) {
        String start = pending.remove(pid);
        if (start == null) {
          continue;
        }
        text = start + r.group(2);
      }
      Matcher c = CALL.matcher(text);
      if (!c.matches() || Long.parseLong(c.group(3)) < 0) {
        continue;
      }
      List<String> paths = paths(c.group(1), c.group(2));
      if (paths.stream().anyMatch(p -> p.equals(root) || p.startsWith(root + "/") || root.startsWith(p + "/"))) {
        out.add(new Call(out.size(), pid, c.group(1), paths));
      }
    }
    return out;
  }

  private static List<String> paths(String name, String args) {
    List<String> quoted = new ArrayList<>();
    Matcher q = QUOTED.matcher(args);
    while (q.find()) {
      quoted.add(q.group(1));
    }
    return switch (name) {
      case "fsync", "fdatasync", "write" -> {
        String first = args.split(",", 2)[0].trim();
        Matcher m = FD_PATH.matcher(first);
        yield m.matches() ? List.of(m.group(1)) : List.of();
      }
      case "mkdir", "mkdirat", "openat" -> quoted.isEmpty() ? List.of() : List.of(quoted.get(0));
      default -> quoted.size() >= 2 ? List.of(quoted.get(0), quoted.get(1)) : List.of(); // rename*
    };
  }
}
