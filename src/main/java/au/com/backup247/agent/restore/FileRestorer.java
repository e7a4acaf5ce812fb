package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.fs.FdCalls;
import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one file of a restore: its blobs into a temp file in its folder, its metadata through the
 * temp file's descriptor ({@link MetadataWriter}), then a rename over the final name, so a restore
 * killed at any point leaves no half-written file under a final name (R5). A damaged blob fails only
 * its file, with a message naming file and blob; a cancel drops the file being written.
 *
 * <p>Blobs are decoded on the calling thread, or on the {@link ParallelDecoder} when the caller
 * allows it and the file has at least {@link #PARALLEL_MIN_BLOBS}. Thread-safe: each restore thread
 * writes its own files.
 */
final class FileRestorer {
  /** Files with at least this many blobs may be decoded in parallel (smaller ones on their folder's thread). */
  static final int PARALLEL_MIN_BLOBS = 4;
  /** How the name of every temp file starts (a random hex number follows; see {@link TargetCleanup}). */
  static final String TEMP_PREFIX = ".b247tmp-";

  private final History history;
  private final RepeatedChunks chunks;
  private final MetadataWriter meta;
  private final RestoreProgress progress;
  private final JobLog log;
  private final boolean verify;
  private final ParallelDecoder parallel;
  /** Each restore thread's plaintext buffer, reused from blob to blob. */
  private final ThreadLocal<Repository.PlainBuffer> plainBuffers = ThreadLocal.withInitial(Repository.PlainBuffer::new);

  /**
   * Files of {@code history} whose chunks are read through {@code chunks}; with {@code verify}, each
   * file is read back after its rename and compared with what was written.
   */
  FileRestorer(History history, RepeatedChunks chunks, MetadataWriter meta, RestoreProgress progress, JobLog log,
      boolean verify, int threads) {
    this.history = history;
    this.chunks = chunks;
    this.meta = meta;
    this.progress = progress;
    this.log = log;
    this.verify = verify;
    this.parallel = new ParallelDecoder(threads, chunks, progress);
  }

  /** Ends the file being written when the restore is cancelled. */
  static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /**
   * Restores {@code f} into folder {@code d}; {@code inParallel}: its blobs may be decoded on the
   * parallel decoder (a restore thread is idle). Failures are logged and counted, never thrown.
   */
  void restore(TargetDir d, Pending f, boolean inParallel) {
    FileVersion v = f.version();
    // a short temp name: the final name may already be the longest a folder allows (255 bytes)
    Path tmp = Path.of(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    byte[] digest;
    progress.current(v.path());
    try {
      try (FileChannel out = d.create(tmp)) {
        FileSink sink = new FileSink(out, verify ? sha256() : null, progress);
        List<ChunkId> ids = v.chunks();
        if (inParallel && ids.size() >= PARALLEL_MIN_BLOBS) {
          parallel.write(ids, history, sink);
        } else {
          Repository.PlainBuffer plain = plainBuffers.get();
          for (ChunkId id : ids) {
            if (progress.cancelled()) {
              throw new Cancelled();
            }
            sink.write(chunks.read(id, locate(history, id), plain));
          }
        }
        if (sink.written() != v.size()) {
          throw new RepoException("restored " + sink.written() + " bytes, expected " + v.size());
        }
        digest = sink.digest();
        applyMetadata(d, tmp, out, f);
      }
      d.rename(tmp, f.rel().getFileName());
      if (digest != null) {
        check(d, f, digest);
      }
      progress.fileRestored(v.size());
    } catch (Cancelled e) {
      deleteQuietly(d, tmp);
    } catch (IOException | RepoException e) {
      progress.failed();
      log.error("file " + v.path() + " was not restored: " + e.getMessage());
      deleteQuietly(d, tmp);
    }
  }

  /** Through the open temp file's descriptor where the platform allows, else through its path. */
  private void applyMetadata(TargetDir d, Path tmp, FileChannel out, Pending f) {
    Optional<Path> fd = Fds.of(out);
    OptionalInt n = FdCalls.of(out);
    if (fd.isPresent() && n.isPresent()) {
      meta.apply(n.getAsInt(), fd.get(), f.version(), f.dest().toString());
    } else {
      meta.apply(fd.orElse(d.entry(tmp)), fd.isPresent(), f.version(), f.dest().toString());
    }
  }

  /** Where blob {@code id} is stored, as of {@code h}; refused when the index does not know it. */
  static BlobLocation locate(History h, ChunkId id) {
    BlobLocation loc = h.location(id);
    if (loc == null) {
      throw new RepoException("blob " + id + " is not in the index");
    }
    return loc;
  }

  /** Re-reads a restored file (never through a link) and compares it with what was written. */
  private void check(TargetDir d, Pending f, byte[] digest) throws IOException {
    MessageDigest md = sha256();
    long n = 0;
    try (FileChannel in = d.read(f.rel().getFileName())) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      int r;
      while ((r = in.read(buf)) >= 0) {
        buf.flip();
        md.update(buf);
        n += r;
        buf.clear();
      }
    }
    if (n != f.version().size() || !MessageDigest.isEqual(digest, md.digest())) {
      throw new RepoException("verification failed: " + f.dest() + " reads back " + n + " bytes that differ from the "
          + f.version().size() + " bytes restored");
    }
    progress.fileVerified();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(TargetDir d, Path tmp) {
    try {
      d.deleteFile(tmp);
    } catch (IOException ignored) {
      // best effort: a later restore removes it
    }
  }

  /** Files decoded in parallel so far. */
  int filesDecodedInParallel() {
    return parallel.files();
  }

  /** See {@link ParallelDecoder#peakHeld()}. */
  long peakDecodedUnwritten() {
    return parallel.peakHeld();
  }

  /** Ends the parallel decoder's pool. */
  void shutdown() throws InterruptedException {
    parallel.shutdown();
  }
}
