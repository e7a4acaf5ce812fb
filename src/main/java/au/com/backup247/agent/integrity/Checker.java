package au.com.backup247.agent.integrity;

import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.IndexChain;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockReader;
import au.com.backup247.agent.repo.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repository check (guide ch. 11.1, data integrity check): every committed job's manifest, index
 * parts and checkpoint parts open and agree; the newest checkpoint says what a replay of the
 * segments says; every blob the current and retained versions need is listed in a block that
 * exists with the size the index recorded, at the offset the index says; with {@code readData}
 * every blob is read, authenticated, decompressed and re-hashed. Problems name job, block and blob,
 * and the files whose data is affected.
 */
public final class Checker {
  private final Repository repo;

  public Checker(Repository repo) {
    this.repo = repo;
  }

  /** Result: the problems found (empty when healthy) and what was checked. */
  public record Report(List<String> problems, int jobs, int blocks, long blobs, long blobsRead) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public Report run(boolean readData) {
    List<String> problems = new ArrayList<>();
    List<String> jobs = repo.jobIds();
    String lastCheckpoint = null;
    for (String job : jobs) {
      try {
        Manifest m = repo.manifest(job);
        repo.segment(m);
        for (IndexRef ref : m.checkpointRefs()) {
          repo.indexPart(ref, job);
          lastCheckpoint = job;
        }
      } catch (RepoException e) {
        problems.add("job " + job + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      return new Report(problems, jobs.size(), 0, 0, 0);
    }
    if (lastCheckpoint != null) {
      checkCheckpoint(jobs, lastCheckpoint, problems);
    }
    History h = History.load(repo, null);
    Map<String, Long> sizes = new HashMap<>();
    for (Store.StoredObject o : repo.store().list("blocks/")) {
      sizes.put(o.path(), o.size());
    }
    Set<ChunkId> needed = new HashSet<>();
    for (History.Span s : h.spans()) {
      needed.addAll(s.version().chunks());
    }
    Map<String, Map<ChunkId, BlockEntry>> headers = new HashMap<>();
    long blobs = 0;
    long read = 0;
    for (ChunkId id : needed) {
      BlobLocation loc = h.location(id);
      if (loc == null) {
        problems.add("blob " + id + " is used by a file but not in the index");
        continue;
      }
      blobs++;
      Long size = sizes.get(loc.block());
      if (size == null) {
        problems.add("block " + loc.block() + " (job " + Repository.jobOf(loc.block()) + ") is missing; it holds blob "
            + id + " of " + fileOf(h, id));
        continue;
      }
      Map<ChunkId, BlockEntry> header = headers.computeIfAbsent(loc.block(), b -> {
        Map<ChunkId, BlockEntry> map = new HashMap<>();
        try {
          for (BlockEntry e : BlockReader.readHeader(repo.store(), b, size, repo.cipher(), repo.masterKey())) {
            map.put(e.id(), e);
          }
        } catch (RepoException e) {
          problems.add(e.getMessage() + " (job " + Repository.jobOf(b) + "); it holds data of " + filesIn(h, b));
        }
        return map;
      });
      BlockEntry e = header.get(id);
      if (e == null) {
        if (!header.isEmpty()) {
          problems.add("block " + loc.block() + " does not list blob " + id);
        }
        continue;
      }
      if (e.offset() != loc.offset() || e.storedLength() != loc.storedLength()) {
        problems.add("block " + loc.block() + " lists blob " + id + " at another place than the index");
        continue;
      }
      if (readData) {
        try {
          repo.readBlob(id, loc);
          read++;
        } catch (RepoException ex) {
          problems.add(ex.getMessage() + "; used by " + fileOf(h, id));
        }
      }
    }
    return new Report(problems, jobs.size(), headers.size(), blobs, read);
  }

  /**
   * The checkpoint the next backup starts from must say exactly what replaying every segment up to
   * its job says: the same current versions and the same blob locations.
   */
  private void checkCheckpoint(List<String> jobs, String job, List<String> problems) {
    History replay = History.load(repo, job);
    IndexChain chain = IndexChain.of(repo, jobs, job);
    int[] seen = {0};
    int[] bad = {0};
    try {
      chain.state().drain(v -> {
        seen[0]++;
        FileVersion r = replay.current().get(v.path());
        if (!v.equals(r) && bad[0]++ < 10) {
          problems.add("checkpoint of job " + job + " disagrees with the index segments about " + v.path());
        }
      });
      if (seen[0] != replay.current().size()) {
        problems.add("checkpoint of job " + job + " lists " + seen[0] + " current versions, the index segments "
            + replay.current().size());
      }
      Map<ChunkId, BlobLocation> blobs = new HashMap<>();
      chain.forEachBlockAndBlob(b -> { }, b -> blobs.put(b.id(), b.location()));
      if (!blobs.equals(replay.blobs())) {
        problems.add("checkpoint of job " + job + " lists other blob locations than the index segments");
      }
    } catch (RepoException e) {
      problems.add("checkpoint of job " + job + ": " + e.getMessage());
    }
  }

  /** The files (with the job that added each version) that need a blob stored in {@code block}. */
  private static String filesIn(History h, String block) {
    java.util.TreeSet<String> files = new java.util.TreeSet<>();
    for (History.Span s : h.spans()) {
      for (ChunkId c : s.version().chunks()) {
        BlobLocation l = h.location(c);
        if (l != null && l.block().equals(block)) {
          files.add(s.version().path() + " (job " + s.firstJob() + ")");
          break;
        }
      }
    }
    return files.isEmpty() ? "no file" : String.join(", ", files);
  }

  private static String fileOf(History h, ChunkId id) {
    for (History.Span s : h.spans()) {
      FileVersion v = s.version();
      if (v.chunks().contains(id)) {
        return v.path() + " (job " + s.firstJob() + ")";
      }
    }
    return "no file";
  }
}
