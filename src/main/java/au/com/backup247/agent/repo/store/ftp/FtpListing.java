package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.ftp.FtpConnector.Conn;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

/**
 * Reading an FTP server's folders: {@code MLSD} when the server announces {@code MLST}, else
 * {@code LIST -a} (Commons Net's auto-detected parser); {@code MLST}, else {@code SIZE}, for one
 * file. Temporary uploads are never objects; an object moved aside by an interrupted replace
 * ({@link AsideRename}) still is, under its own name.
 */
final class FtpListing {
  private FtpListing() {
  }

  /**
   * Lists {@code dir} (whose objects' paths start with {@code rel}) and the folders in it that can
   * hold objects under {@code prefix}. {@code unchecked}: {@code dir} was not seen as a folder in a
   * listing; it may be a file, which servers list as itself.
   */
  static void walk(Conn c, String dir, String rel, String prefix, List<StoredObject> out, boolean unchecked)
      throws IOException {
    FTPFile[] entries = entries(c, dir);
    if (unchecked && entries.length == 1 && entries[0] != null && entries[0].isFile()) {
      String only = String.valueOf(entries[0].getName());
      String base = rel.substring(rel.lastIndexOf('/') + 1);
      if ((only.equals(base) || only.endsWith("/" + base)) && statRemote(c.ftp, dir, c.mlst) != null) {
        return; // dir is a file, listed as itself: there are no objects under it
      }
    }
    Set<String> files = fileNames(entries);
    for (FTPFile e : entries) {
      if (e == null) {
        continue;
      }
      String n = e.getName();
      if (n != null && AsideRename.isAside(n) && e.isFile() && !files.contains(AsideRename.targetOf(n))) {
        n = AsideRename.targetOf(n); // an object moved aside by an interrupted replace: still the object
      }
      if (n == null || n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/")
          || StorePaths.isTemp(n) || isCurrentOrParent(e)) {
        continue;
      }
      String p = rel.isEmpty() ? n : rel + "/" + n;
      if (e.isDirectory()) {
        String asFolder = p + "/";
        if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) {
          walk(c, dir.isEmpty() ? n : dir.equals("/") ? "/" + n : dir + "/" + n, p, prefix, out, false);
        }
      } else if (e.isFile() && p.startsWith(prefix) && StorePaths.valid(p)) {
        out.add(new StoredObject(p, e.getSize()));
      }
    }
  }

  /** The entries of folder {@code dir} (MLSD or LIST); none when it does not exist (yet) or was removed. */
  static FTPFile[] entries(Conn c, String dir) throws IOException {
    FTPFile[] entries = c.mlst ? c.ftp.mlistDir(dir.isEmpty() ? null : dir)
        : c.ftp.listFiles(dir.isEmpty() ? null : dir);
    int code = c.ftp.getReplyCode();
    if (!FTPReply.isPositiveCompletion(code)) {
      if (code == 550 || code == 450) {
        return new FTPFile[0];
      }
      throw ReplyException.failed(c.ftp, c.mlst ? "MLSD" : "LIST");
    }
    return entries;
  }

  /** The names of the files in a listing. */
  private static Set<String> fileNames(FTPFile[] entries) {
    Set<String> names = new HashSet<>();
    for (FTPFile e : entries) {
      if (e != null && e.isFile() && e.getName() != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  /**
   * Removes temporary uploads older than {@code before} in {@code dir} and the folders below it;
   * entries without a time (some LIST formats) are left alone.
   */
  static int removeTemporary(Conn c, String dir, Instant before) throws IOException {
    FTPFile[] entries = entries(c, dir);
    Set<String> files = fileNames(entries);
    int removed = 0;
    for (FTPFile e : entries) {
      if (e == null) {
        continue;
      }
      String n = e.getName();
      if (n == null || n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || isCurrentOrParent(e)) {
        continue;
      }
      String p = dir.isEmpty() ? n : dir.equals("/") ? "/" + n : dir + "/" + n;
      if (e.isDirectory()) {
        removed += removeTemporary(c, p, before);
        continue;
      }
      Instant modified = e.getTimestamp() == null ? null : e.getTimestamp().toInstant();
      switch (e.isFile() ? TempRename.leftover(n, modified, files, before) : TempRename.Leftover.KEEP) {
        case PUT_BACK -> // put back what an interrupted replace moved aside (refused: someone did already)
            c.ftp.rename(p, p.substring(0, p.length() - AsideRename.SUFFIX.length()));
        case REMOVE -> {
          if (c.ftp.deleteFile(p)) {
            removed++;
          } else {
            ReplyException r = ReplyException.failed(c.ftp, "DELE");
            if (r.code != 550 && r.code != 450) {
              throw r;
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

  /** MLSD's {@code type=cdir} and {@code type=pdir} entries name the folder itself and its parent. */
  static boolean isCurrentOrParent(FTPFile e) {
    String raw = e.getRawListing();
    if (raw == null) {
      return false;
    }
    String facts = raw.toLowerCase(Locale.ROOT);
    return facts.contains("type=cdir;") || facts.contains("type=pdir;");
  }

  /** The file at {@code remote}, or null when there is none or it is not a file. */
  static FTPFile statRemote(FTPClient ftp, String remote, boolean mlst) throws IOException {
    if (mlst) {
      FTPFile f = ftp.mlistFile(remote);
      if (f == null) {
        int code = ftp.getReplyCode();
        if (code == 550 || code == 450 || code == 501) {
          return null;
        }
        throw ReplyException.failed(ftp, "MLST");
      }
      return f.isFile() ? f : null;
    }
    String size = ftp.getSize(remote);
    if (size == null) {
      int code = ftp.getReplyCode();
      if (code == 550 || code == 450 || code == 501) {
        return null; // missing, or a folder
      }
      throw ReplyException.failed(ftp, "SIZE");
    }
    FTPFile f = new FTPFile();
    f.setType(FTPFile.FILE_TYPE);
    f.setSize(Long.parseLong(size.trim()));
    return f;
  }
}
