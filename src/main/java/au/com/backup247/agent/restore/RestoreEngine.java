package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restores file versions from a repository into a target folder.
 *
 * <p>Safety: every stored path is re-rooted under the target and checked component by component
 * ({@link TargetPaths}: no "..", no empty or NUL components); folders on the way are created or
 * must be real folders, never symlinks, and every write happens relative to the folder opened so
 * ({@link TargetDir}), so nothing is ever written through a symlink or outside the target — even
 * from a tampered repository (TEST-MATRIX S2, S3) or while a local user swaps a folder for a symlink
 * during the restore. Files are written to a temp file in their folder, given their metadata and
 * renamed over the final name ({@link FileRestorer}), so a restore killed at any point leaves no
 * half-written file under a final name (R5); the next restore into the same folders removes the
 * temp files ({@link TargetCleanup}). A damaged blob fails only its file, with a message naming
 * file, blob, block and job; the other files are restored.
 *
 * <p>Steps: choose the entries ({@link RestoreSelection}); make the folders and write their files,
 * {@code threads} folders at once ({@link FolderWriter}, large files decoded in parallel by
 * {@link ParallelDecoder} when a thread is idle); then symlinks and folder metadata ({@link
 * LinksAndFolders}); then, when asked, delete unmatched data ({@link TargetCleanup}).
 *
 * <p>Progress and cancel (any thread): {@link #live()} tells how far it is; {@link #cancel()} stops
 * it at the next blob — the file being written is dropped, not renamed into place — and nothing
 * more is written (no symlinks, folder metadata or deletions of unmatched data).
 */
public final class RestoreEngine {
  /** What to restore. */
  public record Options(Path target, String asOfJob, boolean allVersions, List<String> includes,
      boolean deleteUnmatched, int threads) {
  }

  /** Counters of one restore. */
  public record Summary(long files, long folders, long symlinks, long bytes, long failed, long deleted) {
  }

  /**
   * How far a restore is: bytes written so far (also of the file being written), the files and
   * bytes it will restore in all (-1 until it has chosen them), and the file being written (or null).
   */
  public record Live(long bytesWritten, long filesTotal, long bytesTotal, String currentFile) {
  }

  /** Plaintext kept of chunks used more than once (see {@link RepeatedChunks}). */
  static final long REPEATED_CHUNK_BYTES = 64L << 20;

  private final Repository repo;
  private final Options options;
  private final JobLog log;
  private final Path target;
  private final TargetPaths paths;
  private final RestoreProgress progress = new RestoreProgress();
  private final MetadataWriter meta;
  private boolean verify;
  private Map<String, Set<String>> onlyVersions = Map.of();
  /** The chunks and the file writer of the running restore (null before it chose its entries). */
  private volatile RepeatedChunks chunks;
  private volatile FileRestorer files;

  public RestoreEngine(Repository repo, Options options, JobLog log) {
    this.repo = repo;
    this.options = options;
    this.log = log;
    this.target = options.target().toAbsolutePath().normalize();
    this.paths = new TargetPaths(target);
    this.meta = new MetadataWriter(log);
  }

  /**
   * Re-reads every restored file after its rename and compares its size and SHA-256 with the bytes
   * written (blobs are always authenticated and their chunk ids checked while reading; this adds a
   * check of what reached the disk).
   */
  public RestoreEngine verifyAfterWrite(boolean on) {
    this.verify = on;
    return this;
  }

  /**
   * With {@code allVersions}: of the stored paths this map names, only the versions added by the
   * jobs it gives for them (path → first jobs of the versions to restore); other paths restore
   * every version. The guide's "select only some of the backup versions of a file".
   */
  public RestoreEngine onlyVersions(Map<String, Set<String>> firstJobsByPath) {
    this.onlyVersions = Map.copyOf(firstJobsByPath);
    return this;
  }

  /** The counters so far (another thread may read them while the restore runs). */
  public Summary progress() {
    return progress.summary();
  }

  /** See {@link Live}. */
  public Live live() {
    return progress.live();
  }

  /** Stops the restore at the next blob (see the class comment). */
  public void cancel() {
    progress.cancel();
  }

  public boolean cancelled() {
    return progress.cancelled();
  }

  /** Files re-read and found identical by {@link #verifyAfterWrite}. */
  public long verifiedFiles() {
    return progress.verified();
  }

  /** Chunks decoded so far (a chunk used by several files or several times in one is decoded once). */
  long chunksDecoded() {
    RepeatedChunks c = chunks;
    return c == null ? 0 : c.decoded();
  }

  /** The most plaintext of one file decoded in parallel that waited to be written (see {@link ParallelDecoder}). */
  long peakDecodedUnwritten() {
    FileRestorer f = files;
    return f == null ? 0 : f.peakDecodedUnwritten();
  }

  /** Files whose blobs were decoded in parallel (see {@link FolderWriter}). */
  int filesDecodedInParallel() {
    FileRestorer f = files;
    return f == null ? 0 : f.filesDecodedInParallel();
  }

  /**
   * Restores as of the job of the options: only the versions current then are loaded ({@link
   * History#current}), every version kept with {@code allVersions} ({@link History#load}).
   */
  public Summary run() throws InterruptedException, IOException {
    String asOf = options.asOfJob();
    return run(options.allVersions() ? History.load(repo, asOf) : History.current(repo, asOf));
  }

  /** Restores from an already assembled history (with {@code allVersions}, one with its versions). */
  public Summary run(History h) throws InterruptedException, IOException {
    if (h.jobId() == null) {
      throw new RepoException("repository " + repo.store().name() + " has no jobs to restore");
    }
    List<String> unmatched = unmatched(h, options.allVersions(), options.includes());
    if (!unmatched.isEmpty()) {
      throw new RepoException(nothingMatches(unmatched, h.jobId()));
    }
    Files.createDirectories(target);
    if (Files.isSymbolicLink(target)) {
      throw new RepoException("target " + target + " is a symlink; give the real folder");
    }
    RestoreSelection selection = new RestoreSelection(options.includes(), sources(h.jobId()));
    List<RestoreSelection.Item> items = selection.items(h, options.allVersions(), onlyVersions);
    long nFiles = 0;
    long nBytes = 0;
    for (RestoreSelection.Item it : items) {
      if (it.version().kind() == FileVersion.FILE) {
        nFiles++;
        nBytes += it.version().size();
      }
    }
    progress.totals(nFiles, nBytes);
    chunks = new RepeatedChunks(repo, () -> items.stream().map(RestoreSelection.Item::version)
        .filter(v -> v.kind() == FileVersion.FILE).iterator(), REPEATED_CHUNK_BYTES);
    files = new FileRestorer(h, chunks, meta, progress, log, verify, options.threads());
    log.info("restoring " + items.size() + " entries of job " + h.jobId() + " to " + target);
    if (!Fds.available() && MetadataWriter.ROOT) {
      log.warn("restoring as root without descriptor paths (" + Fds.unavailableReason() + "): folders and symlinks "
          + "are made through their paths and set-uid/set-gid bits are not restored");
    }
    try (TargetDir root = TargetDir.open(target)) {
      restoreInto(root, items, selection);
    } finally {
      meta.report();
    }
    return progress.summary();
  }

  private void restoreInto(TargetDir root, List<RestoreSelection.Item> items, RestoreSelection selection)
      throws InterruptedException {
    List<Pending> links = new ArrayList<>();
    Set<Path> restored = new HashSet<>();
    // every folder to make or write into, in the order met (path order: a folder before its content)
    Map<Path, FolderWriter.Folder> byFolder = new LinkedHashMap<>();
    for (RestoreSelection.Item it : items) {
      Path rel;
      try {
        rel = paths.relative(it.version().path(), it.suffixJob());
      } catch (RepoException e) {
        progress.failed();
        log.error(e.getMessage());
        continue;
      }
      Path dest = target.resolve(rel);
      if (options.deleteUnmatched()) {
        restored.add(dest);
      }
      switch (it.version().kind()) {
        case FileVersion.FOLDER -> byFolder.computeIfAbsent(rel, k -> new FolderWriter.Folder()).items.add(it);
        // symlinks are created after every file: no file is ever written below a link made here
        case FileVersion.SYMLINK -> links.add(new Pending(it.version(), rel, dest));
        default -> byFolder.computeIfAbsent(TargetPaths.folderOf(rel), k -> new FolderWriter.Folder()).files
            .add(new Pending(it.version(), rel, dest));
      }
    }
    FolderWriter.Made made = new FolderWriter(options.threads(), files, selection, progress, log, target)
        .write(root, byFolder);
    progress.current(null);
    TargetCleanup cleanup = new TargetCleanup(progress, log, target);
    if (progress.cancelled()) {
      log.warn("restore cancelled: files not restored yet were left as they are");
      cleanup.removeLeftoverTemps(root, made.existing());
      return;
    }
    LinksAndFolders last = new LinksAndFolders(paths, meta, progress, log, target);
    last.symlinks(root, links);
    last.folderMetadata(root, made.dirs());
    if (options.deleteUnmatched()) {
      cleanup.deleteUnmatched(root, restored, made.deleteRoots(), selection.sourcesUnknown());
    }
    cleanup.removeLeftoverTemps(root, made.existing());
  }

  /** Stored source roots of the job restored (manifest "sources"); empty when unknown. */
  private List<String> sources(String jobId) {
    try {
      return repo.manifest(jobId).sources();
    } catch (RuntimeException e) {
      return List.of(); // a history assembled without manifests
    }
  }

  /**
   * The requested paths that select nothing: no stored path equals them or lies below them, as of
   * the job of {@code h} (or in any version kept, with {@code allVersions}). A restore asked for
   * such a path is refused before anything is written.
   */
  public static List<String> unmatched(History h, boolean allVersions, List<String> includes) {
    return RestoreSelection.unmatched(h, allVersions, includes);
  }

  /** "path /x is not in job J: nothing was restored" (one or several paths). */
  public static String nothingMatches(List<String> unmatched, String jobId) {
    return RestoreSelection.nothingMatches(unmatched, jobId);
  }
}
