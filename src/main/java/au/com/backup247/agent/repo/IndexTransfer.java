package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.util.function.Consumer;

/**
 * Verified transfers of index and checkpoint parts (guide ch. 11.2 "Backup Set Index Handling
 * Process", FORMAT.md §6). A part read from a destination must have the size and SHA-256 its manifest
 * records; a part written is read back whole and compared with what was sent, before any manifest
 * can name it. On a mismatch or a transient transfer error the part is transferred again, up to
 * {@link #RETRIES} more times; every re-transfer is reported to the notice consumer ("index part
 * index/… of job … re-transferred from …: size mismatch"), and giving up is an error that names
 * the part, its job and the destination. A missing part and permanent store errors are not retried.
 *
 * <p>The read-back after a write costs one download of each part (parts close at about 1 MiB of
 * records, compressed), which is small next to the blocks of a job and always done: everything
 * that is restored later is found through these parts.
 */
final class IndexTransfer {
  /** Further attempts after the first, for a download or an upload of one part. */
  static final int RETRIES = 3;

  private IndexTransfer() {
  }

  /** The job an index part belongs to, from its name {@code index/<jobId>[.<n>].idx|ckp}. */
  static String jobOf(String name) {
    String base = name.startsWith("index/") ? name.substring("index/".length()) : name;
    int dot = base.indexOf('.');
    return dot < 0 ? base : base.substring(0, dot);
  }

  /** Downloads the part {@code ref} and checks it; {@code what} names it with its job. */
  static byte[] download(Store store, IndexRef ref, String what, Consumer<String> notices) {
    String reason = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      byte[] data;
      try {
        data = store.get(ref.name());
      } catch (NoSuchObjectException e) {
        throw new CorruptDataException(what + " is missing at " + store.name());
      } catch (StoreException e) {
        if (!e.isTransient()) {
          throw new RepoException(what + " cannot be read from " + store.name() + ": " + e.getMessage());
        }
        reason = "transfer error: " + e.getMessage();
        continue;
      }
      String bad = mismatch(data, ref.size(), ref.sha256());
      if (bad == null) {
        if (attempt > 0) {
          notices.accept("Index part " + ref.name() + " of job " + jobOf(ref.name()) + " re-transferred from "
              + store.name() + " (" + reason + ")");
        }
        return data;
      }
      reason = bad;
    }
    throw new CorruptDataException(what + " at " + store.name() + " does not match its manifest after "
        + (RETRIES + 1) + " downloads (" + reason + ")");
  }

  /** Uploads a part, reads it back and compares; returns the reference a manifest records. */
  static IndexRef upload(Store store, String name, byte[] data, Consumer<String> notices) {
    return upload(store, name, data, "index part " + name + " of job " + jobOf(name), notices);
  }

  /**
   * Uploads an object, reads it back and compares, re-uploading on a mismatch; {@code what} names
   * it in messages ("manifest jobs/… of job …").
   */
  static IndexRef upload(Store store, String name, byte[] data, String what, Consumer<String> notices) {
    String sha = Hashes.sha256Hex(data);
    String reason = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      byte[] back;
      try {
        store.put(name, data);
        back = store.get(name);
      } catch (NoSuchObjectException e) {
        reason = "missing after the upload";
        continue;
      } catch (StoreException e) {
        if (!e.isTransient()) {
          throw new RepoException(what + " cannot be written to " + store.name() + ": " + e.getMessage());
        }
        reason = "transfer error: " + e.getMessage();
        continue;
      }
      String bad = mismatch(back, data.length, sha);
      if (bad == null) {
        if (attempt > 0) {
          notices.accept(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " re-transferred to "
              + store.name() + " (" + reason + ")");
        }
        return new IndexRef(name, data.length, sha);
      }
      reason = bad + " on read-back";
    }
    throw new RepoException(what + " could not be stored correctly at " + store.name() + " after " + (RETRIES + 1)
        + " uploads (" + reason + ")");
  }

  /** Why {@code data} is not the expected object, or null when it is. */
  private static String mismatch(byte[] data, long size, String sha256) {
    if (data.length != size) {
      return "size mismatch: " + data.length + " bytes, expected " + size;
    }
    if (!Hashes.sha256Hex(data).equals(sha256)) {
      return "checksum mismatch";
    }
    return null;
  }
}
