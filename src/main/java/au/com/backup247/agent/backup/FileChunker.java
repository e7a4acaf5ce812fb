package au.com.backup247.agent.backup;

import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.fs.ScannedOpen;
import au.com.backup247.agent.fs.Xattrs;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.ExtendedAttribute;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.store.ChannelIo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The chunk stage for one file: reads it chunk by chunk, pulled with {@link #next}, hashing,
 * deduplicating (the job's dedup scope) and compressing each chunk; each call returns the next
 * chunk that must be stored, skipping known ones, until the file ends. Then {@link #finish} gives
 * the version (its FILE record goes to the {@link Packer}). Errors reading the file are warnings:
 * the file is skipped. A chunk that cannot be compressed fails every destination (its id is in the
 * dedup set already, so other files may refer to a blob that would never be stored). Owns the open file and the caller's read buffer while it runs; one thread
 * at a time, several chunkers of one job at once.
 */
public final class FileChunker implements AutoCloseable {
  private final BackupJob job;
  private final Item item;
  private final byte[] buf;
  private final Compression compression;
  private final Chunker chunker;
  private final Repository lead;
  private final List<ChunkId> chunks = new ArrayList<>();
  private final Set<ChunkId> pathKnown;
  private FileChannel ch;
  private List<ExtendedAttribute> xattrs = List.of();
  private int start;
  private int end;
  private boolean eof;
  private long total;
  private boolean failed;

  /** Reads {@code item} of {@code job} into {@code buffer} ({@link #bufferSize} bytes at least). */
  public FileChunker(BackupJob job, Item item, byte[] buffer) {
    this(job, item, buffer, job.lead().compressor()::body);
  }

  /** Compresses {@code len} bytes of {@code p} from {@code off}: a body, codec byte first. */
  interface Compression {
    byte[] body(byte[] p, int off, int len);
  }

  /** As {@link #FileChunker(BackupJob, Item, byte[])}, compressing with {@code compression} (a test makes it fail). */
  FileChunker(BackupJob job, Item item, byte[] buffer, Compression compression) {
    this.job = job;
    this.item = item;
    this.buf = buffer;
    this.compression = compression;
    this.lead = job.lead();
    this.chunker = lead.chunker();
    this.pathKnown = job.options().dedup() == DedupScope.SAME_PATH ? previousChunks() : null;
  }

  /** Buffer size a chunker of {@code job} needs: the largest chunk, plus 1 MiB so every refill reads at least that. */
  public static int bufferSize(BackupJob job) {
    return maxChunk(job) + (1 << 20);
  }

  /** The largest chunk a chunker of {@code job} cuts. */
  public static int maxChunk(BackupJob job) {
    return job.lead().chunker().maxSize();
  }

  /**
   * The next chunk to store, or null at the end of the file (or when it could not be read, or
   * the job was cancelled: a cancel is seen at the next chunk, one volatile read per chunk).
   */
  public NewBlob next() {
    if (failed) {
      return null;
    }
    try {
      if (ch == null) {
        SourceEntry e = item.entry;
        ch = ScannedOpen.open(e.path(), e.dev(), e.inode(), job.options().followLinks());
        Optional<Path> fd = Fds.of(ch);
        xattrs = Xattrs.read(fd.orElse(e.path()), fd.isPresent(), job.log()::warn);
      }
      return nextChunk();
    } catch (ScannedOpen.ReplacedException ex) {
      fail(ex.getMessage());
    } catch (AccessDeniedException ex) {
      fail("file " + item.entry.path() + " cannot be read (permission denied); skipped");
    } catch (NoSuchFileException ex) {
      fail("file " + item.entry.path() + " vanished before it could be read; skipped");
    } catch (IOException ex) {
      fail("file " + item.entry.path() + " cannot be read: " + ex.getMessage() + "; skipped");
    } catch (RuntimeException ex) {
      failed = true;
      job.stats().sourceErrors.incrementAndGet();
      job.log().error("file " + item.entry.path() + " failed: " + ex);
    }
    return null;
  }

  private NewBlob nextChunk() throws IOException {
    JobStats stats = job.stats();
    while (true) {
      if (job.cancelled()) {
        failed = true; // not stored, and no warning: nothing of a cancelled job is committed
        return null;
      }
      if (!eof && end - start < chunker.maxSize()) {
        refill(stats);
      }
      if (start == end) {
        return null;
      }
      int off = start;
      int cut = chunker.nextCut(buf, start, end - start);
      start += cut;
      ChunkId id = lead.id(buf, off, cut);
      chunks.add(id);
      boolean isNew = switch (job.options().dedup()) {
        case ALL -> job.known().add(id);
        case SAME_PATH -> pathKnown.add(id);
        case OFF -> true;
      };
      if (isNew) {
        stats.bytesNew.addAndGet(cut);
        try {
          return new NewBlob(id, compression.body(buf, off, cut), cut);
        } catch (RuntimeException ex) {
          failed = true;
          String message = "file " + item.entry.path() + ": a chunk of " + cut + " bytes could not be compressed: " + ex;
          job.log().error(message);
          job.failAll(message); // its id is in the dedup set: other files may refer to it
          return null;
        }
      }
    }
  }

  private void refill(JobStats stats) throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    int n = ChannelIo.read(ch, buf, end, buf.length - end);
    if (n < buf.length - end) {
      eof = true;
    }
    total += n;
    stats.bytesRead.addAndGet(n);
    stats.bytesDone.addAndGet(n);
    end += n;
  }

  private void fail(String message) {
    failed = true;
    job.log().warn(message);
  }

  /** The version read (its FILE record is queued for a block), or null when the file was skipped. */
  public FileVersion finish() {
    close();
    SourceEntry e = item.entry;
    job.stats().bytesDone.addAndGet(e.size() - total); // done: the file counts with the size the walk found
    if (failed) {
      return null;
    }
    if (total != e.size()) {
      job.log().warn("file " + e.path() + " changed size while being read (" + e.size() + " → " + total
          + " bytes); the version stored is what was read");
    }
    FileVersion v = new FileVersion(e.key(), FileVersion.FILE, total, e.mode(), e.mtimeNanos(), e.ctimeNanos(),
        e.inode(), "", chunks, e.uid(), e.gid(), xattrs);
    job.packer().record(v);
    return v;
  }

  @Override
  public void close() {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // read-only channel
      }
      ch = null;
    }
  }

  /** Chunks of the previous versions that every destination holds (scope "same path"). */
  private Set<ChunkId> previousChunks() {
    List<DestinationJob> dests = job.destinations();
    Set<ChunkId> out = new HashSet<>();
    for (int i = 0; i < item.prevs.length; i++) {
      if (dests.get(i).error == null && item.prevs[i] != null) {
        for (ChunkId c : item.prevs[i].chunks()) {
          if (job.known().contains(c)) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }
}
