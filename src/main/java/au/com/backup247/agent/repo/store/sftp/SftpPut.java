package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.ServerRoot;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The put of an {@link SftpStore} ({@link TempRename}) on one SFTP channel: the upload goes to
 * {@code <name>.tmp-<16 hex>} in the object's folder (created as needed) in pipelined writes as
 * large as the server takes, is fsynced when the server offers {@code fsync@openssh.com}, then
 * renamed over the final name with {@code posix-rename@openssh.com} (atomic replace), else with a
 * plain SFTP rename, moving an existing object aside first when the server refuses to replace it
 * ({@link AsideRename}).
 */
final class SftpPut {
  /** SFTP's guaranteed write size (draft-ietf-secsh-filexfer: servers must take 32 KiB). */
  private static final int SAFE_WRITE = 32 * 1024;
  /**
   * The largest write asked for when the server says it takes more ({@code limits@openssh.com};
   * OpenSSH: 255 KiB). Fewer, larger requests doubled the upload rate to OpenSSH on loopback.
   */
  private static final int MAX_WRITE = 255 * 1024;

  private final ServerRoot root;
  private volatile int writeSize; // 0: not asked yet

  SftpPut(ServerRoot root) {
    this.root = root;
  }

  /**
   * Puts {@code data} to the server path {@code target} on channel {@code c}; a bare SFTP failure
   * is reported as no space left when the server says there is too little for the object.
   */
  void put(SftpClient c, String target, UploadSource data) throws IOException {
    try {
      TempRename.put(new Upload(c, data), target);
    } catch (SftpException e) {
      throw explainFailure(c, root.parent(target), data.length(), e);
    }
  }

  /** One put's steps on one SFTP channel ({@link TempRename}). */
  private final class Upload implements TempRename.Files {
    private final SftpClient c;
    private final UploadSource data;

    Upload(SftpClient c, UploadSource data) {
      this.c = c;
      this.data = data;
    }

    @Override
    public void write(String tmp) throws IOException {
      SftpClient.CloseableHandle h;
      try {
        h = c.open(tmp, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive);
      } catch (SftpException e) {
        if (!SftpErrors.missing(e)) {
          throw e;
        }
        mkdirs(c, root.parent(tmp));
        h = c.open(tmp, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive);
      }
      try (SftpClient.CloseableHandle handle = h) {
        upload(c, handle, tmp, data, writeSize(c));
        OpenSSHFsyncExtension fsync = c.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
          fsync.fsync(handle);
        }
      }
    }

    @Override
    public void replace(String tmp, String target) throws IOException {
      rename(c, tmp, target);
    }

    @Override
    public void discard(String tmp) {
      if (c.isOpen()) {
        try {
          c.remove(tmp);
        } catch (IOException ignored) {
          // a left-over temp file is never listed
        }
      }
    }
  }

  /**
   * SFTP version 3 servers (OpenSSH's among them) answer a full disk or an exceeded quota with a bare
   * "failure". When the server tells how much space is left ({@code statvfs@openssh.com}) and that is less
   * than the object needs, the failure is reported as what it is: no space left.
   */
  private static SftpException explainFailure(SftpClient c, String folder, long needed, SftpException e) {
    if (e.getStatus() != SftpConstants.SSH_FX_FAILURE || !c.isOpen()) {
      return e;
    }
    try {
      OpenSSHStatPathExtension statvfs = c.getExtension(OpenSSHStatPathExtension.class);
      if (statvfs == null || !statvfs.isSupported()) {
        return e;
      }
      OpenSSHStatExtensionInfo fs = statvfs.stat(folder);
      long free = fs.f_bavail * (fs.f_frsize > 0 ? fs.f_frsize : fs.f_bsize);
      if (free < needed) {
        return new SftpException(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, free + " bytes free, " + needed
            + " needed");
      }
    } catch (IOException ignored) {
      // the server cannot tell: keep its own answer
    }
    return e;
  }

  /** The size of each write request: what the server says it takes, at most {@link #MAX_WRITE}, else 32 KiB. */
  private int writeSize(SftpClient c) {
    int size = writeSize;
    if (size == 0) {
      size = SAFE_WRITE;
      try {
        OpenSSHLimitsExtension limits = c.getExtension(OpenSSHLimitsExtension.class);
        if (limits != null && limits.isSupported()) {
          long max = limits.limits().maxWriteLength;
          size = max > 0 ? (int) Math.min(MAX_WRITE, Math.max(SAFE_WRITE, max)) : SAFE_WRITE;
        }
      } catch (IOException | RuntimeException ignored) {
        // keep the size every server takes
      }
      writeSize = size;
    }
    return size;
  }

  /** Writes {@code data} to the open handle; writes are pipelined when possible. */
  private static void upload(SftpClient c, SftpClient.CloseableHandle h, String remote, UploadSource data, int chunk)
      throws IOException {
    OutputStream pipelined = c instanceof AbstractSftpClient a
        ? new SftpOutputStreamAsync(a, chunk, remote, h, false) : null;
    data.copyTo((buf, off, n) -> {
      if (pipelined != null) {
        pipelined.write(buf, off, n);
      } else {
        c.write(h, data.done(), buf, off, n);
      }
    }, chunk);
    if (pipelined != null) {
      pipelined.close(); // waits for every write's answer; leaves the handle open
    }
  }

  /**
   * Renames the upload into place: atomically with {@code posix-rename@openssh.com}, else with a
   * plain rename asking to overwrite, and on servers that refuse to without a gap in which the
   * object has no name ({@link AsideRename}).
   */
  private static void rename(SftpClient c, String tmp, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(tmp, target);
      return;
    }
    SftpException[] refusal = new SftpException[1];
    AsideRename.replace(new AsideRename.Server() {
      @Override
      public boolean rename(String from, String to) throws IOException {
        try {
          c.rename(from, to, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
          return true;
        } catch (SftpException e) {
          if (SftpErrors.status(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_PERMISSION_DENIED)) {
            throw e;
          }
          refusal[0] = e; // SFTP version 3 servers refuse to replace, with a bare "failure"
          return false;
        }
      }

      @Override
      public boolean exists(String path) throws IOException {
        return SftpListing.regularFile(c, path) != null;
      }

      @Override
      public void delete(String path) throws IOException {
        try {
          c.remove(path);
        } catch (SftpException e) {
          if (!SftpErrors.missing(e)) {
            throw e;
          }
        }
      }
    }, tmp, target, () -> refusal[0]);
  }

  private void mkdirs(SftpClient c, String dir) throws IOException {
    if (dir.equals(".") || dir.equals("/") || dir.isEmpty()) {
      return;
    }
    try {
      if (c.stat(dir).isDirectory()) {
        return;
      }
    } catch (SftpException e) {
      if (!SftpErrors.missing(e)) {
        throw e;
      }
    }
    mkdirs(c, root.parent(dir));
    try {
      c.mkdir(dir);
    } catch (SftpException e) {
      // created by another thread meanwhile? (OpenSSH answers "Failure" for an existing folder)
      try {
        if (c.stat(dir).isDirectory()) {
          return;
        }
      } catch (SftpException ignored) {
        // report the mkdir failure
      }
      throw e;
    }
  }
}
