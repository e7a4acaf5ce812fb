package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.store.ChannelIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * The temp file a restored file is written to: its channel, the bytes written and (when verifying)
 * their digest; every write also counts in the restore's progress. One thread at a time.
 */
final class FileSink {
  private final FileChannel out;
  private final MessageDigest md;
  private final RestoreProgress progress;
  private long written;

  /** Writes to {@code out}; {@code md} (may be null) digests what is written. */
  FileSink(FileChannel out, MessageDigest md, RestoreProgress progress) {
    this.out = out;
    this.md = md;
    this.progress = progress;
  }

  /** Appends the remaining bytes of {@code data} (backed by an array); its position is left as it was. */
  void write(ByteBuffer data) throws IOException {
    int n = data.remaining();
    int off = data.arrayOffset() + data.position();
    if (md != null) {
      md.update(data.array(), off, n);
    }
    ChannelIo.write(out, data.array(), off, n);
    written += n;
    progress.wrote(n);
  }

  long written() {
    return written;
  }

  /** The digest of what was written, or null when not verifying; ends the digest. */
  byte[] digest() {
    return md == null ? null : md.digest();
  }
}
