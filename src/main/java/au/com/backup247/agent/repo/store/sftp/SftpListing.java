package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The reading of folders on an SFTP server for an {@link SftpStore}: folder listings, the walk
 * that lists objects, the clean-up of temporary uploads left behind ({@link TempRename#leftover}),
 * and the lookup of one file.
 */
final class SftpListing {
  private SftpListing() {
  }

  /** The attributes of the regular file at {@code path}, or null when there is none. */
  static SftpClient.Attributes regularFile(SftpClient c, String path) throws IOException {
    try {
      SftpClient.Attributes a = c.stat(path);
      return a.isRegularFile() ? a : null;
    } catch (SftpException e) {
      if (SftpErrors.missing(e)) {
        return null;
      }
      throw e;
    }
  }

  /** The entries of folder {@code dir}; none when it does not exist (yet) or was removed while listing. */
  static List<SftpClient.DirEntry> entries(SftpClient c, String dir) throws IOException {
    List<SftpClient.DirEntry> all = new ArrayList<>();
    try (SftpClient.CloseableHandle h = c.openDir(dir)) {
      for (List<SftpClient.DirEntry> batch = c.readDir(h); batch != null; batch = c.readDir(h)) {
        all.addAll(batch);
      }
    } catch (SftpException e) {
      if (SftpErrors.missing(e)) {
        return List.of();
      }
      throw e;
    }
    return all;
  }

  /**
   * Adds the objects under {@code dir} (object path {@code rel}) whose paths start with
   * {@code prefix} to {@code out}, going down only into folders that can hold such paths. An
   * object moved aside by an interrupted replace is listed under its own name; temporary uploads
   * are not listed.
   */
  static void walk(SftpClient c, String dir, String rel, String prefix, List<StoredObject> out) throws IOException {
    List<SftpClient.DirEntry> all = entries(c, dir);
    Set<String> files = fileNames(all);
    for (SftpClient.DirEntry e : all) {
      String n = e.getFilename();
      if (AsideRename.isAside(n) && e.getAttributes().isRegularFile() && !files.contains(AsideRename.targetOf(n))) {
        n = AsideRename.targetOf(n); // an object moved aside by an interrupted replace: still the object
      }
      if (n.equals(".") || n.equals("..") || StorePaths.isTemp(n)) {
        continue;
      }
      String p = rel.isEmpty() ? n : rel + "/" + n;
      SftpClient.Attributes a = e.getAttributes();
      if (a.isDirectory()) {
        String asFolder = p + "/";
        if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) {
          walk(c, dir + "/" + n, p, prefix, out);
        }
      } else if (a.isRegularFile() && p.startsWith(prefix)) {
        out.add(new StoredObject(p, a.getSize()));
      }
    }
  }

  /** Removes temporary uploads older than {@code before} in {@code dir} and the folders below it. */
  static int removeTemporary(SftpClient c, String dir, Instant before) throws IOException {
    List<SftpClient.DirEntry> all = entries(c, dir);
    int removed = 0;
    Set<String> files = fileNames(all);
    for (SftpClient.DirEntry e : all) {
      String n = e.getFilename();
      if (n.equals(".") || n.equals("..")) {
        continue;
      }
      SftpClient.Attributes a = e.getAttributes();
      if (a.isDirectory()) {
        removed += removeTemporary(c, dir + "/" + n, before);
        continue;
      }
      Instant modified = a.getModifyTime() == null ? null : a.getModifyTime().toInstant();
      switch (a.isRegularFile() ? TempRename.leftover(n, modified, files, before) : TempRename.Leftover.KEEP) {
        case PUT_BACK -> {
          try {
            c.rename(dir + "/" + n, dir + "/" + AsideRename.targetOf(n)); // put back what a replace moved aside
          } catch (SftpException ignored) {
            // put back meanwhile
          }
        }
        case REMOVE -> {
          try {
            c.remove(dir + "/" + n);
            removed++;
          } catch (SftpException ex) {
            if (!SftpErrors.missing(ex)) {
              throw ex;
            }
          }
        }
        case KEEP -> {
          // an object, or a temporary upload that may still be running
        }
      }
    }
    return removed;
  }

  /** The names of the regular files in a folder listing. */
  private static Set<String> fileNames(List<SftpClient.DirEntry> entries) {
    Set<String> names = new HashSet<>();
    for (SftpClient.DirEntry e : entries) {
      if (e.getAttributes().isRegularFile()) {
        names.add(e.getFilename());
      }
    }
    return names;
  }
}
