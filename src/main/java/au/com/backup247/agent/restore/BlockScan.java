package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BinaryReader;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.pack.BlockEntry;
import au.com.backup247.agent.repo.pack.BlockReader;
import au.com.backup247.agent.repo.store.Store;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds what the blocks hold without any index (guide ch. 9.9.4 "Decrypt Backup Data", and
 * index rebuild): reads every block header, opens the FILE records, and takes for each path the
 * version of the newest job folder that has one. Files deleted before that job cannot be told apart
 * from current ones without the index, so they are included.
 */
public final class BlockScan {
  private BlockScan() {
  }

  public static History scan(Repository repo, JobLog log) {
    Map<ChunkId, BlobLocation> blobs = new HashMap<>();
    Map<String, FileVersion> latest = new TreeMap<>();
    Map<String, String> latestJob = new HashMap<>();
    String newest = null;
    for (Store.StoredObject o : repo.store().list("blocks/")) {
      if (!o.path().endsWith(".bak")) {
        continue;
      }
      String job = Repository.jobOf(o.path());
      try {
        for (BlockEntry e : BlockReader.readHeader(repo.store(), o.path(), o.size(), repo.cipher(), repo.masterKey())) {
          BlobLocation loc = new BlobLocation(e.type(), o.path(), e.offset(), e.storedLength(), e.rawLength());
          if (e.type() == ObjectTypes.DATA) {
            blobs.putIfAbsent(e.id(), loc);
          } else if (e.type() == ObjectTypes.FILE) {
            byte[] plain = repo.readBlob(e.id(), loc);
            BinaryReader r = new BinaryReader(plain, 0, plain.length, "file records in " + o.path());
            int n = r.varintInt(1 << 24);
            for (int i = 0; i < n; i++) {
              FileVersion v = FileVersion.decode(r);
              String prevJob = latestJob.get(v.path());
              if (prevJob == null || prevJob.compareTo(job) <= 0) {
                latest.put(v.path(), v);
                latestJob.put(v.path(), job);
              }
            }
          }
        }
        if (newest == null || job.compareTo(newest) > 0) {
          newest = job;
        }
      } catch (RepoException e) {
        log.error(e.getMessage() + "; skipped");
      }
    }
    if (newest == null) {
      throw new RepoException("no readable blocks in " + repo.store().name());
    }
    return History.of(newest, latest, blobs);
  }
}
