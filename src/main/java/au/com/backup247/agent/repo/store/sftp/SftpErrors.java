package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * An {@link SftpStore}'s reading of failures: SFTP statuses, I/O failures and failures to connect
 * or log in, as the contract's errors. No such file → {@link NoSuchObjectException}; permission
 * denied, no space, quota, generic server failure (OpenSSH reports a full disk as "Failure"),
 * authentication failure and host key refusal → permanent; timeouts, refused or dropped
 * connections → transient.
 */
record SftpErrors(String name, SftpStore.Config config) {
  /** Maps an SFTP status or I/O failure to the contract's errors. */
  StoreException error(String op, String path, IOException e) {
    String what = StoreException.cannot(op, path, name);
    if (e instanceof SftpException s) {
      String m = s.getMessage() == null ? "" : " (" + s.getMessage() + ")";
      switch (s.getStatus()) {
        case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH, SftpConstants.SSH_FX_NOT_A_DIRECTORY:
          return new NoSuchObjectException(what + ": no such file" + m, e);
        case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT:
          return StoreException.permanent(what + ": permission denied" + m, e);
        case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM:
          return StoreException.permanent(what + ": no space left on the server" + m, e);
        case SftpConstants.SSH_FX_QUOTA_EXCEEDED:
          return StoreException.permanent(what + ": quota exceeded" + m, e);
        case SftpConstants.SSH_FX_FAILURE:
          return StoreException.permanent(what + ": the server reports a failure" + m
              + "; SFTP servers report a full disk or an exceeded quota this way", e);
        case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST:
          return StoreException.transientError(what + ": connection lost" + m, e);
        default:
          return StoreException.permanent(what + ": SFTP status " + s.getStatus() + m, e);
      }
    }
    if (e instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("Timeout")) {
      return StoreException.transientError(what + ": timed out after " + config.ioTimeout().toSeconds() + " s ("
          + describe(e) + ")", e);
    }
    return StoreException.transientError(what + ": " + describe(e), e);
  }

  /** Words for a person: the root cause of a connection failure rather than the SSH library's wrapping. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "host not found";
      }
      if (t instanceof java.net.NoRouteToHostException) {
        return "no route to host";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName().replace("Exception", "").replace("Ssh", "SSH");
    return (kind.isEmpty() ? "error" : kind + " error") + (m == null ? "" : ": " + m);
  }

  static boolean status(IOException e, int... codes) {
    if (e instanceof SftpException s) {
      for (int c : codes) {
        if (s.getStatus() == c) {
          return true;
        }
      }
    }
    return false;
  }

  /** No such file, or a path through something that is not a folder. */
  static boolean missing(IOException e) {
    return status(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH,
        SftpConstants.SSH_FX_NOT_A_DIRECTORY);
  }

  /**
   * Maps a failure to connect, log in or open a channel to the contract's errors; {@code refusal}
   * says why the host key was refused (null: it was not).
   */
  StoreException connect(Throwable e, String refusal) {
    if (e instanceof StoreException se) {
      return se;
    }
    if (refusal != null) {
      return StoreException.permanent("cannot connect to " + name + ": REFUSED " + refusal, e);
    }
    if (e instanceof SshException ssh) {
      int code = ssh.getDisconnectCode();
      String msg = String.valueOf(ssh.getMessage());
      if (code == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE
          || code == SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME
          || code == SshConstants.SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER
          || msg.contains("No more authentication methods")) {
        return StoreException.permanent("cannot connect to " + name + ": authentication failed for user "
            + config.user() + " (" + (config.password() != null ? "password" : "key " + config.identityFile())
            + " refused)", e);
      }
      if (code == SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE) {
        return StoreException.permanent("cannot connect to " + name + ": REFUSED the server's host key", e);
      }
    }
    StoreException unknown = HostNotFound.error("cannot connect to " + name, config.host(), e);
    if (unknown != null) {
      return unknown;
    }
    return StoreException.transientError("cannot connect to " + name + ": " + describe(e), e);
  }
}
