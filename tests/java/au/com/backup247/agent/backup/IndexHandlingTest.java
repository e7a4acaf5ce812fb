package au.com.backup247.agent.backup;

import static au.com.backup247.agent.backup.RepoFixture.under;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guide ch. 11.2 "Backup Set Index Handling Process": index parts read at the start of a job and
 * written at its end are checked (size, SHA-256) and transferred again when they arrive damaged, a
 * bounded number of times. Faults: {@link FaultyStore} over a real folder, aimed at {@code index/}.
 */
class IndexHandlingTest {
  @TempDir
  Path dir;
  Path src;
  Path repoDir;
  FaultyStore store;
  Repository repo;
  String firstJob;

  @BeforeEach
  void firstJob() throws Exception {
    src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    repoDir = dir.resolve("repo");
    store = new FaultyStore(new LocalStore(repoDir), 5);
    repo = Repository.init(store, RepoFixture.options(CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL),
        RepoFixture.PASSWORD);
    repo.indexPartBytes(2048); // several parts per segment
    Run r = backup();
    assertTrue(r.result.ok(), r.result.error());
    firstJob = r.result.jobId();
    Files.writeString(src.resolve("new.txt"), "added later");
  }

  private record Run(BackupResult result, List<JobLog.Line> lines) {
    String text() {
      return lines.stream().map(JobLog.Line::toString).collect(Collectors.joining("\n"));
    }
  }

  private Run backup() throws Exception {
    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> rs = StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 2,
        Clock.systemUTC()), RepoFixture.jobLog(lines));
    return new Run(rs.get(0), lines);
  }

  private void restoresAll() throws Exception {
    Repository fresh = RepoFixture.open(repoDir);
    Checker.Report check = new Checker(fresh).run(true);
    assertTrue(check.ok(), check.problems().toString());
    Path out = dir.resolve("out-" + System.nanoTime());
    RepoFixture.restore(fresh, out, null, false, new ArrayList<>());
    RepoFixture.assertSameTree(src, under(out, src));
  }

  @Test
  void aBackup_downloadsEachPartOfThePreviousIndexOnce() throws Exception {
    assertTrue(backup().result.ok()); // a second job: its segment is read on top of the first job's
    Map<String, Integer> gets = new ConcurrentHashMap<>();
    repo = Repository.open(new ForwardingStore(new LocalStore(repoDir)) {
      @Override
      public byte[] get(String path) {
        gets.merge(path, 1, Integer::sum);
        return super.get(path);
      }
    }, RepoFixture.PASSWORD);
    repo.indexPartBytes(2048);
    List<String> before = repo.jobIds();
    Run r = backup();
    assertTrue(r.result.ok(), r.text());
    Map<String, Integer> previous = new java.util.TreeMap<>();
    gets.forEach((path, n) -> {
      if (path.startsWith("index/") && before.stream().anyMatch(j -> path.startsWith("index/" + j + "."))) {
        previous.put(path, n);
      }
    });
    assertEquals(before.size(), previous.keySet().stream().map(p -> p.substring(0, p.indexOf('.'))).distinct().count(),
        "parts of both earlier jobs were read: " + previous);
    assertTrue(previous.size() > 2, "several parts: " + previous);
    assertEquals(java.util.Set.of(1), java.util.Set.copyOf(previous.values()), "downloads of each part: " + previous);
    restoresAll();
  }

  @Test
  void damagedDownloads_areFetchedAgain() throws Exception {
    store.script(Op.GET, "index/", Fault.corrupt(), Fault.truncate());
    Run r = backup();
    assertTrue(r.result.ok(), r.text());
    String part = "index/" + firstJob + ".idx";
    assertTrue(r.text().contains("Index part " + part + " of job " + firstJob + " re-transferred from "
        + repoDir + " (size mismatch"), r.text());
    assertEquals(2, store.injected(Op.GET));
    restoresAll();
  }

  @Test
  void downloadsThatStayDamaged_failTheDestinationNamingPartJobAndDestination() throws Exception {
    store.script(Op.GET, "index/", Fault.corrupt(), Fault.corrupt(), Fault.corrupt(), Fault.corrupt());
    Run r = backup();
    assertFalse(r.result.ok());
    String e = r.result.error();
    assertTrue(e.contains("index/" + firstJob + ".idx") && e.contains("job " + firstJob) && e.contains(repoDir.toString())
        && e.contains("after 4 downloads"), e);
    assertEquals(List.of(firstJob), RepoFixture.open(repoDir).jobIds(), "nothing committed");
  }

  @Test
  void manifests_areCheckedAfterUpload_andFetchedAgainWhenDamaged() throws Exception {
    store.script(Op.PUT, "jobs/", Fault.truncate());
    Run r = backup();
    assertTrue(r.result.ok(), r.text());
    String job = r.result.jobId();
    assertTrue(r.text().contains("Manifest jobs/" + job + ".job of job " + job + " re-transferred to " + repoDir
        + " (size mismatch"), r.text());
    store.script(Op.GET, "jobs/", Fault.corrupt(), Fault.corrupt());
    Run next = backup();
    assertTrue(next.result.ok(), next.text());
    assertTrue(next.text().contains("re-transferred from " + repoDir + " (damaged)"), next.text());
    store.script(Op.GET, "jobs/" + job, Fault.corrupt(), Fault.corrupt(), Fault.corrupt(), Fault.corrupt());
    String e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> repo.manifest(job))
        .getMessage();
    assertTrue(e.contains("manifest of job " + job) && e.contains(repoDir.toString()) && e.contains("after 4"), e);
    restoresAll();
  }

  @Test
  void damagedUploads_areReadBackAndSentAgain_beforeTheManifest() throws Exception {
    store.script(Op.PUT, "index/", Fault.silentDrop(), Fault.truncate(), Fault.corrupt());
    Run r = backup();
    assertTrue(r.result.ok(), r.text());
    String job = r.result.jobId();
    assertTrue(r.text().contains("Index part index/" + job + ".idx of job " + job + " re-transferred to " + repoDir
        + " (checksum mismatch on read-back)"), r.text());
    assertEquals(3, store.injected(Op.PUT));
    restoresAll();
  }

  @Test
  void uploadsThatStayDamaged_failTheDestination_andWriteNoManifest() throws Exception {
    store.script(Op.PUT, "index/", Fault.truncate(), Fault.truncate(), Fault.truncate(), Fault.truncate());
    Run r = backup();
    assertFalse(r.result.ok());
    String job = r.result.jobId();
    String e = r.result.error();
    assertTrue(e.contains("index part index/" + job + ".idx of job " + job) && e.contains(repoDir.toString())
        && e.contains("after 4 uploads (size mismatch"), e);
    assertEquals(List.of(firstJob), RepoFixture.open(repoDir).jobIds(), "no manifest for the failed job");
    // the next job (no faults) completes and everything restores
    Run next = backup();
    assertTrue(next.result.ok(), next.text());
    restoresAll();
  }
}
