package au.com.backup247.agent.repo.store.ftp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an FTP server's failure reply says that it has no room for an upload: its disk is full or
 * the account's quota is used up. FTP has codes for this ({@code 452} insufficient storage,
 * {@code 552} storage allocation exceeded), but common servers answer a full disk otherwise, as
 * seen against them and in their sources:
 * <pre>
 *   server            what fills up            the reply (after the data connection is closed)
 *   ----------------  -----------------------  ------------------------------------------------
 *   vsftpd 3.0.3      disk, or any failed      451 Failure writing to local file.
 *                     write (quota included)   (it never looks at errno)
 *   pure-ftpd 1.0.50  disk                     451-Error during write to file / 451-Transfer aborted
 *   pure-ftpd         its quota (--quota)      552-Transfer aborted (quota) ... 552 Quota exceeded:
 *                                              [name] won't be saved (after the whole transfer)
 *   ProFTPD (source)  quota (EDQUOT)           552 name: Disk quota exceeded
 *                     disk                     451/550 name: No space left on device
 * </pre>
 * vsftpd and pure-ftpd close the data connection as soon as a write fails, so the client sees a
 * broken pipe or a reset and must read the reply on the control connection to learn why.
 *
 * <p>So a reply means "no space" when it is {@code 452} or {@code 552}, when a failure reply's text
 * says so ("no space", "disk full", "quota", "insufficient storage", ...), or when it is a
 * {@code 451} saying that writing the file failed: on a server, a failed write of a file is a full
 * disk or quota in practice, and neither is cured by repeating the upload. A {@code 421} (the server
 * is closing the connection) never is. A reply about the data connection ("Failure reading network
 * stream", "Error during read from data connection") is not either: that is the network.
 */
final class FtpNoSpace {
  private static final Pattern SAYS_SO = Pattern.compile("\\b(no (free )?space|disk full|(disk|storage) is full"
      + "|quota|insufficient (disk|storage|space)|not enough (disk |storage )?space|out of (disk )?space"
      + "|storage allocation)\\b");
  /** vsftpd: "Failure writing to local file."; pure-ftpd: "Error during write to file". */
  private static final Pattern WRITING_THE_FILE = Pattern.compile("writ(e|ing) to (local )?file");

  private FtpNoSpace() {
  }

  /** True when a failure reply with this code and text means there is no room on the server. */
  static boolean says(int code, String text) {
    if (code < 400 || code >= 600 || code == 421) {
      return false;
    }
    if (code == 452 || code == 552) {
      return true;
    }
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    return SAYS_SO.matcher(t).find() || code == 451 && WRITING_THE_FILE.matcher(t).find();
  }

  /**
   * What to tell a person about such a reply: "no space left on the server or quota exceeded", and
   * when the server said only that it could not write the file, that this is how it reports it.
   */
  static String explain(int code, String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    boolean inWords = code == 452 || code == 552 || SAYS_SO.matcher(t).find();
    return "no space left on the server or quota exceeded" + (inWords ? ""
        : "; the server could not write the file, which is how FTP servers such as vsftpd and pure-ftpd report a"
        + " full disk or quota");
  }
}
