package au.com.backup247.agent.repo.store.ftp;

import java.io.IOException;
import org.apache.commons.net.ftp.FTPClient;

/** A command the server answered with a failure reply; the connection is still usable. */
final class ReplyException extends IOException {
  private static final long serialVersionUID = 1L;
  final int code;
  final String text;

  ReplyException(String command, int code, String text) {
    super(command + " answered " + code + " " + text);
    this.code = code;
    this.text = text;
  }

  /** The server's last reply without its code, the lines of a multi-line reply joined. */
  static String reply(FTPClient ftp) {
    String s = ftp.getReplyString();
    if (s == null) {
      return "";
    }
    s = s.strip();
    if (s.length() > 4 && Character.isDigit(s.charAt(0)) && s.length() > 3) {
      s = s.substring(4).strip(); // the code is shown separately
    }
    return s.replaceAll("\\s*[\\r\\n]+(\\d{3}[ -])?\\s*", "; "); // the lines of a multi-line reply, without their codes
  }

  /** The failure reply to {@code command} that {@code ftp} just received. */
  static ReplyException failed(FTPClient ftp, String command) {
    return new ReplyException(command, ftp.getReplyCode(), reply(ftp));
  }
}
