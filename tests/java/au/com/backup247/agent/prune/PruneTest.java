package au.com.backup247.agent.prune;

import static au.com.backup247.agent.prune.PruneFixture.afterLastJob;
import static au.com.backup247.agent.prune.PruneFixture.assertChecksClean;
import static au.com.backup247.agent.prune.PruneFixture.twoDays;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.StateCursor;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Space freeing on real repositories (folders): versions go per the policy, the current state and
 * every kept version restore byte for byte as of every job, blocks are freed, repacked blocks stay
 * readable, the next backup uploads a removed chunk again, and an untrustworthy listing stops it
 * before anything changes (TEST-MATRIX R12).
 */
class PruneTest {
  private static JobLog log(List<JobLog.Line> lines) {
    return new JobLog(Clock.systemUTC(), lines::add);
  }

  private static Pruner.Result prune(Repository repo, Pruner.Options o, List<JobLog.Line> lines) {
    return new Pruner(repo, o, log(lines), afterLastJob()).run();
  }

  private static Set<String> paths(List<Pruner.Removed> removed, Path src) {
    return removed.stream().map(r -> src.toAbsolutePath().relativize(Path.of(r.path())).toString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void removesPerPolicy_keepsEverythingElseRestorable_andFreesBlocks(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    long before = PruneFixture.size(f.repoDir);
    List<JobLog.Line> lines = new ArrayList<>();
    try (Repository repo = f.open()) {
      Map<String, FileVersion> currentBefore = new HashMap<>(History.load(repo, null).current());
      Pruner.Result r = prune(repo, twoDays(false, 0), lines);
      // superseded more than 2 days before the prune: a v1, a v2, b v1, the big file, sub/s1, sub, ticks 4..6
      Set<String> removed = paths(r.removed(), f.src);
      assertEquals(Set.of("0-big.bin", "a", "b", "sub", "sub/s1", "tick"), removed, r.removed().toString());
      assertEquals(2, r.removed().stream().filter(x -> x.path().endsWith("/a")).count());
      assertTrue(r.removed().stream().allMatch(x -> x.reason().contains("older than 2 days")), r.removed().toString());
      assertTrue(r.blocksDeleted() >= 1, r.summary());
      assertEquals(0, r.blocksRepacked());
      // the data area is untouched
      assertEquals(currentBefore, History.load(repo, null).current());
      assertChecksClean(repo);
      f.assertRestores(repo, r.removed(), dir.resolve("after"));
      assertTrue(lines.stream().anyMatch(l -> l.message().contains("older than 2 days")), "reasons are logged");
    }
    long after = PruneFixture.size(f.repoDir);
    // the first block holds only the big file: about 3 MiB here (a block is closed before the chunk
    // that would take it past the fixture's 4 MiB)
    assertTrue(before - after > 2 << 20, "at least the big file's first block is freed: " + before + " → " + after);

    // a second run with the same policy has nothing left to do
    try (Repository repo = f.open()) {
      Pruner.Result again = prune(repo, twoDays(false, 0), new ArrayList<>());
      assertEquals(0, again.removed().size(), again.removed().toString());
      assertEquals(0, again.blocksDeleted());
      assertEquals(0, again.indexPartsDeleted());
    }
  }

  @Test
  void repack_movesLiveBlobs_andEverythingStaysReadable(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    long before = PruneFixture.size(f.repoDir);
    try (Repository repo = f.open()) {
      Pruner.Result r = prune(repo, twoDays(false, 50), new ArrayList<>());
      assertTrue(r.blocksRepacked() >= 1, r.summary());
      assertFalse(PruneFixture.list(f.repoDir, "blocks").stream().filter(p -> !p.contains(f.jobs.get(0)))
          .filter(p -> f.jobs.stream().noneMatch(p::contains)).toList().isEmpty(), "blocks written by the prune");
      assertChecksClean(repo);
      f.assertRestores(repo, r.removed(), dir.resolve("after"));
    }
    long after = PruneFixture.size(f.repoDir);
    assertTrue(before - after > 5 << 20, "the big file is freed entirely: " + before + " → " + after);
    // stable: blocks the prune wrote hold only live data and are not repacked again
    try (Repository repo = f.open()) {
      Pruner.Result again = prune(repo, twoDays(false, 50), new ArrayList<>());
      assertEquals(0, again.blocksRepacked(), again.summary());
      assertEquals(0, again.blocksDeleted(), again.summary());
      assertEquals(0, again.jobsRewritten(), again.summary());
    }
  }

  @Test
  void backupAfterPrune_uploadsARemovedChunkAgain(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    try (Repository repo = f.open()) {
      prune(repo, twoDays(false, 50), new ArrayList<>());
      Files.copy(dir.resolve("big.copy"), f.src.resolve("0-big.bin")); // the removed content comes back
      f.backup(repo, PruneFixture.JOBS);
      String last = repo.jobIds().get(repo.jobIds().size() - 1);
      Manifest m = repo.manifest(last);
      assertTrue(m.stat("bytes.new") >= 6 << 20, "uploaded again, not deduplicated against a deleted block: "
          + m.props().asMap());
      assertChecksClean(repo);
      Path target = dir.resolve("restore");
      List<JobLog.Line> lines = new ArrayList<>();
      assertEquals(0, RepoFixture.restore(repo, target, last, false, lines).failed(), lines.toString());
      RepoFixture.assertSameTree(f.src, RepoFixture.under(target, f.src));
    }
  }

  /**
   * An advanced policy keeps the state of the first day only: a v1 stays, a v2 (added by job 1) goes.
   * As of job 1 "a" must then be absent — not a v1 coming back, which it would without the
   * {@code ended} record that replaces the dropped {@code added} record.
   */
  @Test
  void advancedPolicy_removingANewerVersion_doesNotResurrectTheOlderOne(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    RetentionPolicy keepDay0 = new RetentionPolicy.Advanced(List.of(new au.com.backup247.agent.retention.SnapshotPolicy
        .Custom("Custom-1", List.of(java.time.LocalDate.ofInstant(PruneFixture.DAY0, ZoneId.of("UTC"))))));
    try (Repository repo = f.open()) {
      Pruner.Result r = new Pruner(repo, new Pruner.Options(keepDay0, ZoneId.of("UTC"), false, 50),
          log(new ArrayList<>()), afterLastJob()).run();
      String a = f.src.resolve("a").toAbsolutePath().toString();
      assertEquals(List.of(f.jobs.get(1)), r.removed().stream().filter(x -> x.path().equals(a))
          .map(Pruner.Removed::addedBy).toList(), "a v2 goes, a v1 stays: " + r.removed());
      assertEquals(null, History.load(repo, f.jobs.get(1)).current().get(a), "as of job 1 there is no 'a'");
      assertEquals("a version 1", new String(repo.readBlob(History.load(repo, f.jobs.get(0)).current().get(a)
          .chunks().get(0), History.load(repo, null).location(History.load(repo, f.jobs.get(0)).current().get(a)
          .chunks().get(0)))));
      assertChecksClean(repo);
      f.assertRestores(repo, r.removed(), dir.resolve("after"));
    }
  }

  @Test
  void dryRun_changesNothing(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    Map<String, byte[]> before = contents(f.repoDir);
    try (Repository repo = f.open()) {
      Pruner.Result r = prune(repo, twoDays(true, 50), new ArrayList<>());
      assertTrue(r.dryRun());
      assertEquals(Set.of("0-big.bin", "a", "b", "sub", "sub/s1", "tick"), paths(r.removed(), f.src));
      assertTrue(r.bytesFreed() > 5 << 20, r.summary());
    }
    assertSameContents(before, contents(f.repoDir));
  }

  @Test
  void currentVersionsAreNeverRemoved_evenWithTheShortestPolicy(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    try (Repository repo = f.open()) {
      Pruner.Options o = new Pruner.Options(new RetentionPolicy.Simple(1, RetentionPolicy.Unit.JOBS), ZoneId.of("UTC"),
          false, 50, true, Pruner.GRACE); // a year after the last job: the clock is trusted on purpose
      Pruner.Result r = new Pruner(repo, o, log(new ArrayList<>()), PruneFixture.day(400)).run();
      assertTrue(r.removed().stream().noneMatch(x -> x.endedBy() == null));
      assertChecksClean(repo);
      Path target = dir.resolve("restore");
      assertEquals(0, RepoFixture.restore(repo, target, null, false, new ArrayList<>()).failed());
      RepoFixture.assertSameTree(f.src, RepoFixture.under(target, f.src));
    }
  }

  /** R12: an empty or partial listing of blocks/ or index/ stops the prune before anything changes. */
  @Test
  void untrustworthyListing_refusesAndChangesNothing(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    Map<String, byte[]> before = contents(f.repoDir);
    List<FaultyStore.Fault> faults = List.of(FaultyStore.Fault.emptyListing(), FaultyStore.Fault.partialListing(0.5));
    for (String prefix : List.of("blocks/", "index/")) {
      for (FaultyStore.Fault fault : faults) {
        FaultyStore store = new FaultyStore(new LocalStore(f.repoDir), 3).script(FaultyStore.Op.LIST, prefix, fault);
        try (Repository repo = Repository.open(store, RepoFixture.PASSWORD)) {
          RepoException e = assertThrows(RepoException.class, () -> prune(repo, twoDays(false, 50), new ArrayList<>()));
          assertTrue(e.getMessage().contains("listing") && e.getMessage().contains("Nothing was"), e.getMessage());
          assertEquals(1, store.injected(FaultyStore.Op.LIST), "the fault was used");
        }
        assertSameContents(before, contents(f.repoDir));
      }
    }
    // a partial listing of jobs/ (a job missing) is caught by its blocks and the chain of jobs
    FaultyStore store = new FaultyStore(new LocalStore(f.repoDir), 5).script(FaultyStore.Op.LIST, "jobs/",
        FaultyStore.Fault.partialListing(0.3), FaultyStore.Fault.partialListing(0.3));
    try (Repository repo = Repository.open(store, RepoFixture.PASSWORD)) {
      assertThrows(RepoException.class, () -> prune(repo, twoDays(false, 50), new ArrayList<>()));
    }
    assertSameContents(before, contents(f.repoDir));
  }

  /**
   * R12 at the last step: the listing taken right before deleting is partial, so the prune stops
   * with the manifests already rewritten and nothing deleted; the repository checks clean and the
   * next prune (with honest listings) deletes what is left.
   */
  @Test
  void partialListingBeforeDeleting_deletesNothing_andTheNextPruneFinishes(@TempDir Path dir) throws Exception {
    PruneFixture f = PruneFixture.build(dir);
    List<String> blocksBefore = PruneFixture.list(f.repoDir, "blocks");
    List<Pruner.Removed> removed;
    try (Repository repo = f.open()) {
      removed = prune(repo, twoDays(true, 0), new ArrayList<>()).removed();
    }
    FaultyStore store = new FaultyStore(new LocalStore(f.repoDir), 9).script(FaultyStore.Op.LIST, "blocks/",
        FaultyStore.Fault.none(), FaultyStore.Fault.partialListing(0.5));
    try (Repository repo = Repository.open(store, RepoFixture.PASSWORD)) {
      RepoException e = assertThrows(RepoException.class, () -> prune(repo, twoDays(false, 0), new ArrayList<>()));
      assertTrue(e.getMessage().contains("Nothing was deleted"), e.getMessage());
      assertEquals(1, store.injected(FaultyStore.Op.LIST), "the partial listing was used");
    }
    List<String> blocksAfter = PruneFixture.list(f.repoDir, "blocks");
    assertTrue(blocksAfter.containsAll(blocksBefore), "no block was deleted");
    try (Repository repo = f.open()) {
      assertChecksClean(repo);
      f.assertRestores(repo, removed, dir.resolve("after")); // the manifests were rewritten: versions are gone
      Pruner.Result r = prune(repo, twoDays(false, 0), new ArrayList<>());
      assertTrue(r.blocksDeleted() >= 1, r.summary());
      assertChecksClean(repo);
    }
  }

  /** An "ended" record for a path the state does not hold is a no-op; a later "ended" hides a version. */
  @Test
  void endedWithoutAVersion_isANoOp() {
    FileVersion a = new FileVersion("/s/a", FileVersion.FILE, 1, 0644, 1, 1, 1, null, List.of());
    FileVersion c = new FileVersion("/s/c", FileVersion.FILE, 1, 0644, 1, 1, 1, null, List.of());
    Iterator<FileVersion> checkpoint = List.of(a, c).iterator();
    List<Iterator<FileVersion>> added = List.of(List.<FileVersion>of().iterator(), List.<FileVersion>of().iterator());
    List<Iterator<String>> ended = List.of(List.of("/s/b", "/s/d").iterator(), List.of("/s/c").iterator());
    List<FileVersion> state = new ArrayList<>();
    StateCursor.of(checkpoint, added, ended).drain(state::add);
    assertEquals(List.of(a), state);
  }

  static Map<String, byte[]> contents(Path root) throws Exception {
    Map<String, byte[]> out = new HashMap<>();
    for (String p : PruneFixture.list(root, "")) {
      if (!p.startsWith("locks/")) {
        out.put(p, Files.readAllBytes(root.resolve(p)));
      }
    }
    return out;
  }

  static void assertSameContents(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(new TreeSet<>(a.keySet()), new TreeSet<>(b.keySet()));
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
  }
}
