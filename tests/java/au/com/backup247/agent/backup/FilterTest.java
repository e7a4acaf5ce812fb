package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterTest {

  static boolean in(String spec, String path, boolean folder) {
    return Filter.included(List.of(Filter.parse(spec)), Path.of(path), folder);
  }

  @Test
  void simpleComparisons_matchTheName() {
    assertFalse(in("exclude:ends-with:.tmp", "/a/b/x.tmp", false));
    assertTrue(in("exclude:ends-with:.tmp", "/a/b/x.tmp.keep", false));
    assertFalse(in("exclude:starts-with:~", "/a/~lock", false));
    assertFalse(in("exclude:contains:cache", "/a/mycache.db", false));
    assertFalse(in("exclude:exact:node_modules", "/p/node_modules", true));
    assertTrue(in("exclude:exact:node_modules", "/p/node_modules2", true));
  }

  @Test
  void matching_isCaseSensitive_asTheGuidesXandXExampleShows() {
    assertTrue(in("exclude:ends-with:x", "/a/fileX", false));
    assertFalse(in("exclude:ends-with:x,X", "/a/fileX", false));
  }

  @Test
  void regex_matchesTheWholeName() {
    assertFalse(in("exclude:regex:.*\\.(log|tmp)", "/var/app.log", false));
    assertTrue(in("exclude:regex:.*\\.(log|tmp)", "/var/app.log.1", false));
  }

  @Test
  void includeOnly_excludesEverythingUnmatched_ofItsKind() {
    assertTrue(in("include-only:ends-with:.jpg:files", "/p/a.jpg", false));
    assertFalse(in("include-only:ends-with:.jpg:files", "/p/a.txt", false));
    assertTrue(in("include-only:ends-with:.jpg:files", "/p/folder", true), "folders are not subject to a files filter");
  }

  @Test
  void topFolder_limitsTheFilter() {
    String spec = "exclude:ends-with:.bak:both:/home/u/docs";
    assertFalse(in(spec, "/home/u/docs/x.bak", false));
    assertFalse(in(spec, "/home/u/docs/sub/x.bak", false));
    assertTrue(in(spec, "/home/u/other/x.bak", false));
  }

  @Test
  void firstDecidingFilterWins() {
    List<Filter> fs = List.of(Filter.parse("include:exact:keep.tmp"), Filter.parse("exclude:ends-with:.tmp"));
    assertTrue(Filter.included(fs, Path.of("/a/keep.tmp"), false));
    assertFalse(Filter.included(fs, Path.of("/a/drop.tmp"), false));
  }

  @Test
  void badSpecs_areRejectedNamingThePart() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Filter.parse("drop:exact:x")).getMessage()
        .contains("action must be"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Filter.parse("exclude:like:x")).getMessage()
        .contains("match must be"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Filter.parse("exclude:regex:[")).getMessage()
        .contains("bad regular expression"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Filter.parse("exclude:exact:x:files:rel/dir"))
        .getMessage().contains("absolute"));
  }

  @Test
  void backup_appliesFilters_skipsExcludedFolderTrees_andFifos(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("cache/deep"));
    Files.writeString(src.resolve("cache/deep/big.dat"), "x");
    Files.writeString(src.resolve("keep.txt"), "k");
    Files.writeString(src.resolve("scratch.tmp"), "t");
    Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start();
    assertEquals(0, mkfifo.waitFor());
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    List<JobLog.Line> lines = new ArrayList<>();
    var opts = new BackupOptions(List.of(src), false, 2, Clock.systemUTC(),
        List.of(Filter.parse("exclude:exact:cache:folders"), Filter.parse("exclude:ends-with:.tmp:files")),
        DedupScope.ALL);
    assertTrue(StandaloneBackup.run(List.of(repo), opts, RepoFixture.jobLog(lines)).get(0).ok());
    Set<String> names = History.load(repo, null).current().keySet().stream()
        .filter(p -> p.startsWith(src.toString())).map(p -> p.substring(src.toString().length()))
        .collect(Collectors.toSet());
    assertEquals(Set.of("", "/keep.txt"), names);
    assertTrue(lines.stream().anyMatch(l -> l.level() == JobLog.Level.WARNING && l.message().contains("pipe")
        && l.message().contains("FIFO")), lines.toString());
  }

  @Test
  void dedupScopes_samePathStoresACopyUnderAnotherPath_offStoresEverything(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    byte[] data = RepoFixture.bytes(new java.util.Random(3), 3 << 20);
    Files.write(src.resolve("a.bin"), data);
    Files.write(src.resolve("b.bin"), data);
    long[] stored = new long[3];
    DedupScope[] scopes = DedupScope.values();
    for (int i = 0; i < scopes.length; i++) {
      Repository repo = RepoFixture.init(dir.resolve("repo-" + scopes[i]));
      var opts = new BackupOptions(List.of(src), false, 2, Clock.systemUTC(), List.of(), scopes[i]);
      StandaloneBackup.run(List.of(repo), opts, RepoFixture.jobLog(new ArrayList<>()));
      Manifest m = repo.manifest(repo.jobIds().get(0));
      stored[i] = m.stat("bytes.new");
      var s = RepoFixture.restore(repo, dir.resolve("out-" + scopes[i]), null, false, new ArrayList<>());
      assertEquals(0, s.failed());
    }
    assertEquals(3 << 20, stored[0], "all files: the copy is deduplicated");
    assertEquals(6 << 20, stored[1], "same path: the copy under another path is stored again");
    assertEquals(6 << 20, stored[2], "off: everything is stored");
  }
}
