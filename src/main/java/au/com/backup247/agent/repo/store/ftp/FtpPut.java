package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.ServerRoot;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import au.com.backup247.agent.repo.store.ftp.FtpConnector.Conn;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * The put of an {@link FtpStore} ({@link TempRename}) on one control connection: the object's
 * folders made with {@code MKD} as needed (and remembered), {@code STOR} of the temporary file,
 * then {@code RNFR}/{@code RNTO} over the final name, moving an existing object aside first on
 * servers that refuse to rename over it ({@link AsideRename}).
 */
final class FtpPut {
  private static final int BUFFER = 64 * 1024;
  /** How long a failed data connection waits for the server's reason on the control connection. */
  private static final int REFUSAL_WAIT_MILLIS = 2000;

  private final ServerRoot root;
  private final Duration ioTimeout;
  private final Set<String> knownDirs = ConcurrentHashMap.newKeySet();

  FtpPut(ServerRoot root, Duration ioTimeout) {
    this.root = root;
    this.ioTimeout = ioTimeout;
  }

  /** Puts {@code data} to the server path {@code target} on connection {@code c}. */
  void put(Conn c, String target, UploadSource data) throws IOException {
    String folder = root.parent(target);
    mkdirs(c.ftp, folder);
    TempRename.put(new Upload(c, data, folder), target);
  }

  /**
   * One put's steps on one control connection ({@link TempRename}): {@code STOR} of the temp file,
   * then the rename. The temp file is discarded after a failure only while the control connection is
   * in step (the server answered); a source that fails is an {@link UploadSource.Failure}.
   */
  private final class Upload implements TempRename.Files {
    private final Conn c;
    private final UploadSource data;
    private final String folder;
    private boolean answered;

    Upload(Conn c, UploadSource data, String folder) {
      this.c = c;
      this.data = data;
      this.folder = folder;
    }

    @Override
    public void write(String tmp) throws IOException {
      OutputStream out = c.ftp.storeFileStream(tmp);
      if (out == null) {
        answered = true;
        knownDirs.remove(folder); // removed behind our back? the next attempt creates it again
        throw ReplyException.failed(c.ftp, "STOR");
      }
      try {
        data.copyTo(out::write, BUFFER);
        if (c.ftp instanceof ResumingFtpsClient tls) {
          tls.endUpload(out);
        } else {
          out.close();
        }
      } catch (UploadSource.Failure f) {
        out.close(); // the data connection ends early; the server ends the transfer with a reply
        c.ftp.completePendingCommand();
        answered = true;
        throw f;
      } catch (IOException e) {
        closeQuietly(out);
        c.retire = c.ftp instanceof FTPSClient; // vsftpd resumes no TLS session whose data connection broke (522)
        int code = finalReply(c);
        if (code <= 0) {
          throw e;
        }
        answered = true; // the control connection is in step: the server's word decides, the temp file can go
        throw FTPReply.isPositiveCompletion(code) ? e : ReplyException.failed(c.ftp, "STOR");
      }
      if (!c.ftp.completePendingCommand()) {
        answered = true;
        throw ReplyException.failed(c.ftp, "STOR");
      }
    }

    @Override
    public void replace(String tmp, String target) throws IOException {
      try {
        rename(c, tmp, target);
      } catch (ReplyException e) {
        answered = true;
        throw e;
      }
    }

    @Override
    public void discard(String tmp) {
      if (answered) {
        removeQuietly(c.ftp, tmp);
      }
    }
  }

  /**
   * An upload's data connection failed: the code of the transfer's final reply on the control
   * connection, which says why (servers close the data connection when they cannot write the file:
   * vsftpd and pure-ftpd answer {@code 451} on a full disk; vsftpd answers {@code 522} to a data
   * connection that does not resume the TLS session), or -1 when none comes: the connection failed.
   */
  private int finalReply(Conn c) {
    try {
      c.ftp.setSoTimeout(REFUSAL_WAIT_MILLIS);
      int code = c.ftp.getReply();
      c.ftp.setSoTimeout(FtpConnector.millis(ioTimeout));
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // the data connection failed already
    }
  }

  private static void removeQuietly(FTPClient ftp, String remote) {
    try {
      ftp.deleteFile(remote);
    } catch (IOException ignored) {
      // a left-over temp file is never listed
    }
  }

  /** Renames the upload into place, replacing an existing object without a gap ({@link AsideRename}). */
  private void rename(Conn c, String tmp, String target) throws IOException {
    FTPClient ftp = c.ftp;
    ReplyException[] refusal = new ReplyException[1];
    AsideRename.replace(new AsideRename.Server() {
      @Override
      public boolean rename(String from, String to) throws IOException {
        if (ftp.rename(from, to)) {
          return true;
        }
        refusal[0] = ReplyException.failed(ftp, "rename to " + to);
        if (refusal[0].code == 421) {
          throw refusal[0];
        }
        return false;
      }

      @Override
      public boolean exists(String path) throws IOException {
        return FtpListing.statRemote(ftp, path, c.mlst) != null;
      }

      @Override
      public void delete(String path) throws IOException {
        if (!ftp.deleteFile(path)) {
          ReplyException d = ReplyException.failed(ftp, "DELE " + path);
          if (d.code != 550 && d.code != 450) {
            throw d;
          }
        }
      }
    }, tmp, target, () -> refusal[0]);
  }

  private void mkdirs(FTPClient ftp, String dir) throws IOException {
    if (dir.isEmpty() || dir.equals("/") || knownDirs.contains(dir)) {
      return;
    }
    mkdirs(ftp, root.parent(dir));
    if (!ftp.makeDirectory(dir)) {
      int code = ftp.getReplyCode();
      if (code == 421 || code >= 400 && code < 500) {
        throw ReplyException.failed(ftp, "MKD " + dir);
      }
      // 550/521: usually "exists" (maybe made by another thread); if not, STOR reports the problem
    }
    knownDirs.add(dir);
  }
}
