package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.RepoException;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.RawNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores file versions from a repository into a target folder.
 *
 * <p>Safety: every stored path is re-rooted under the target and checked component by component
 * (no "..", no empty or NUL components); folders on the way are created or must be real folders,
 * never symlinks; files are written to a temp file in their folder and renamed over the final name,
 * so nothing is ever written through a symlink or outside the target — even from a tampered
 * repository (TEST-MATRIX S2, S3). A damaged blob fails only its file, with a message naming file,
 * blob, block and job; the other files are restored.
 */
public final class RestoreEngine {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  /** What to restore. */
  public record Options(Path target, String asOfJob, boolean allVersions, List<String> includes,
      boolean deleteUnmatched, int threads) {
  }

  /** Counters of one restore. */
  public record Summary(long files, long folders, long symlinks, long bytes, long failed, long deleted) {
  }

  private final Repository repo;
  private final Options options;
  private final JobLog log;
  private final Path target;
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile long folders;
  private volatile long symlinks;
  private long deleted;
  private boolean verify;
  private final AtomicLong verified = new AtomicLong();
  /** Stored source roots of the job restored (manifest "sources"); empty when unknown. */
  private List<String> sourceRoots = List.of();

  public RestoreEngine(Repository repo, Options options, JobLog log) {
    this.repo = repo;
    this.options = options;
    this.log = log;
    this.target = options.target().toAbsolutePath().normalize();
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

  /** The counters so far (another thread may read them while the restore runs). */
  public Summary progress() {
    return new Summary(files.get(), folders, symlinks, bytes.get(), failed.get(), deleted);
  }

  /** Files re-read and found identical by {@link #verifyAfterWrite}. */
  public long verifiedFiles() {
    return verified.get();
  }

  public Summary run() throws InterruptedException, IOException {
    return run(History.load(repo, options.asOfJob()));
  }

  /** Restores from an already assembled history. */
  public Summary run(History h) throws InterruptedException, IOException {
    if (h.jobId() == null) {
      throw new RepoException("repository " + repo.store().name() + " has no jobs to restore");
    }
    Files.createDirectories(target);
    if (Files.isSymbolicLink(target)) {
      throw new RepoException("target " + target + " is a symlink; give the real folder");
    }
    sourceRoots = sources(h.jobId());
    List<Item> items = new ArrayList<>();
    if (options.allVersions()) {
      for (History.Span s : h.spans()) {
        if (selected(s.version().path())) {
          items.add(new Item(s.version(), s.endJob() == null ? null : s.firstJob()));
        }
      }
    } else {
      for (FileVersion v : h.current().values()) {
        if (selected(v.path())) {
          items.add(new Item(v, null));
        }
      }
    }
    log.info("restoring " + items.size() + " entries of job " + h.jobId() + " to " + target);
    List<Item> dirs = new ArrayList<>();
    List<Object[]> links = new ArrayList<>();
    Set<Path> restored = new HashSet<>();
    Set<Path> deleteRoots = new HashSet<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
      Thread t = new Thread(r, "b247-restore");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> pending = new ArrayList<>();
      Map<Path, List<Object[]>> byFolder = new java.util.LinkedHashMap<>();
      for (Item it : items) {
        Path dest;
        try {
          dest = destination(it);
        } catch (RepoException e) {
          failed.incrementAndGet();
          log.error(e.getMessage());
          continue;
        }
        restored.add(dest);
        switch (it.version.kind()) {
          case FileVersion.FOLDER -> {
            // a parent of a source root ("/", "/home") is only made, never given stored metadata
            boolean parent = parentOfSource(it.version.path());
            if (mkdirs(dest) && !parent) {
              dirs.add(it);
              folders++;
              if (within(it.version.path())) {
                deleteRoots.add(dest);
              }
            }
          }
          // symlinks are created after every file: no file is ever written below a link made here
          case FileVersion.SYMLINK -> links.add(new Object[] {it.version, dest});
          default -> byFolder.computeIfAbsent(dest.getParent(), k -> new ArrayList<>()).add(new Object[] {it, dest});
        }
      }
      // one task per folder: two threads creating files in one folder contend for its lock
      for (Map.Entry<Path, List<Object[]>> e : byFolder.entrySet()) {
        pending.add(pool.submit(() -> {
          if (mkdirs(e.getKey())) {
            for (Object[] f : e.getValue()) {
              restoreFile(((Item) f[0]).version, (Path) f[1], h);
            }
          }
        }));
      }
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed.incrementAndGet();
          log.error("restore failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.HOURS);
    }
    for (Object[] l : links) {
      Path dest = (Path) l[1];
      if (mkdirs(dest.getParent())) {
        symlink((FileVersion) l[0], dest);
      }
    }
    dirs.sort((a, b) -> b.version.path().compareTo(a.version.path())); // deepest first
    for (Item d : dirs) {
      applyMetadata(destination(d), d.version);
    }
    if (options.deleteUnmatched()) {
      deleteUnmatched(restored, deleteRoots);
    }
    removeLeftoverTemps();
    return new Summary(files.get(), folders, symlinks, bytes.get(), failed.get(), deleted);
  }

  private record Item(FileVersion version, String suffixJob) {
  }

  private List<String> sources(String jobId) {
    try {
      return repo.manifest(jobId).sources();
    } catch (RuntimeException e) {
      return List.of(); // a history assembled without manifests
    }
  }

  /** True for a stored folder that is a strict ancestor of every source root it leads to (backed up as a parent). */
  private boolean parentOfSource(String path) {
    boolean ancestor = false;
    for (String root : sourceRoots) {
      if (path.equals(root) || root.equals("/") || path.startsWith(root + "/")) {
        return false;
      }
      if (path.equals("/") || root.startsWith(path + "/")) {
        ancestor = true;
      }
    }
    return ancestor;
  }

  /** Inside the selection itself (not just on the way to it): where unmatched data may be deleted. */
  private boolean within(String path) {
    if (options.includes() == null || options.includes().isEmpty()) {
      return true;
    }
    for (String inc : options.includes()) {
      String i = inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
      if (path.equals(i) || path.startsWith(i + "/") || i.equals("/")) {
        return true;
      }
    }
    return false;
  }

  private boolean selected(String path) {
    if (options.includes() == null || options.includes().isEmpty()) {
      return true;
    }
    for (String inc : options.includes()) {
      String i = inc.endsWith("/") && inc.length() > 1 ? inc.substring(0, inc.length() - 1) : inc;
      if (path.equals(i) || path.startsWith(i + "/") || i.equals("/") || i.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The path under the target for a stored path, refusing anything that could escape it. */
  Path destination(Item it) {
    String stored = it.version.path();
    if (stored.indexOf('\0') >= 0) {
      throw new RepoException("refused stored path with a NUL byte: " + stored.replace('\0', '?'));
    }
    Path p = target;
    String[] parts = stored.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        if (i == 0) {
          continue;
        }
        throw new RepoException("refused stored path with an empty component: " + stored);
      }
      if (part.equals(".") || part.equals("..") || part.contains("\\")) {
        throw new RepoException("refused stored path that could leave the target: " + stored);
      }
      String name = part;
      if (i == parts.length - 1 && it.suffixJob != null) {
        name = withSuffix(part, it.suffixJob);
      }
      p = p.resolve(RawNames.path(name));
    }
    Path norm = p.normalize();
    if (!norm.startsWith(target)) {
      throw new RepoException("refused stored path outside the target: " + stored);
    }
    return norm;
  }

  /** Older versions get the job's time in their name, before the extension: report.2026-11-26-08-00-00.txt. */
  static String withSuffix(String name, String jobId) {
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      return name.substring(0, dot) + "." + jobId + name.substring(dot);
    }
    return name + "." + jobId;
  }

  /** Folders of the target already checked (or made) in this restore: real folders, not links. */
  private final Set<Path> checkedDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Creates the folders up to {@code dir}, refusing to pass through a symlink; false when refused.
   * Checked folders are remembered: links are only created after all files, so a folder checked
   * once stays a folder for the rest of the file phase.
   */
  private boolean mkdirs(Path dir) {
    if (dir.equals(target) || checkedDirs.contains(dir)) {
      return true;
    }
    synchronized (this) {
      Path rel = target.relativize(dir);
      Path p = target;
      for (Path part : rel) {
        p = p.resolve(part);
        if (checkedDirs.contains(p)) {
          continue;
        }
        try {
          if (Files.isSymbolicLink(p)) {
            failed.incrementAndGet();
            log.error("refused to restore into " + p + ": it is a symlink in the target");
            return false;
          }
          if (!Files.exists(p, NOFOLLOW)) {
            Files.createDirectory(p);
          } else if (!Files.isDirectory(p, NOFOLLOW)) {
            failed.incrementAndGet();
            log.error("cannot restore into " + p + ": it exists and is not a folder");
            return false;
          }
          checkedDirs.add(p);
        } catch (IOException e) {
          failed.incrementAndGet();
          log.error("cannot create folder " + p + ": " + e.getMessage());
          return false;
        }
      }
      return true;
    }
  }

  private void restoreFile(FileVersion v, Path dest, History h) {
    // a short temp name: the final name may already be the longest a folder allows (255 bytes)
    Path tmp = dest.resolveSibling(".b247tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    byte[] digest;
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        long written = 0;
        java.security.MessageDigest md = verify ? sha256() : null;
        for (ChunkId id : v.chunks()) {
          BlobLocation loc = h.location(id);
          if (loc == null) {
            throw new RepoException("blob " + id + " is not in the index");
          }
          byte[] data = repo.readBlob(id, loc);
          if (md != null) {
            md.update(data);
          }
          ByteBuffer bb = ByteBuffer.wrap(data);
          while (bb.hasRemaining()) {
            written += out.write(bb);
          }
        }
        if (written != v.size()) {
          throw new RepoException("restored " + written + " bytes, expected " + v.size());
        }
        digest = md == null ? null : md.digest();
      }
      applyMetadata(tmp, v);
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
      }
      if (digest != null) {
        check(dest, v, digest);
      }
      files.incrementAndGet();
      bytes.addAndGet(v.size());
    } catch (IOException | RepoException e) {
      failed.incrementAndGet();
      log.error("file " + v.path() + " was not restored: " + e.getMessage());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Re-reads a restored file (never through a link) and compares it with what was written. */
  private void check(Path dest, FileVersion v, byte[] digest) throws IOException {
    java.security.MessageDigest md = sha256();
    long n = 0;
    try (FileChannel in = FileChannel.open(dest, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      int r;
      while ((r = in.read(buf)) >= 0) {
        buf.flip();
        md.update(buf);
        n += r;
        buf.clear();
      }
    }
    if (n != v.size() || !java.security.MessageDigest.isEqual(digest, md.digest())) {
      throw new RepoException("verification failed: " + dest + " reads back " + n + " bytes that differ from the "
          + v.size() + " bytes restored");
    }
    verified.incrementAndGet();
  }

  private void symlink(FileVersion v, Path dest) {
    try {
      if (Files.exists(dest, NOFOLLOW)) {
        if (Files.isDirectory(dest, NOFOLLOW)) {
          log.error("cannot restore symlink " + v.path() + ": a folder is in the way");
          failed.incrementAndGet();
          return;
        }
        Files.delete(dest);
      }
      Files.createSymbolicLink(dest, RawNames.path(v.target()));
      applyOwner(dest, v);
      try {
        Files.getFileAttributeView(dest, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
            .setTimes(FileTime.from(Instant.EPOCH.plusNanos(v.mtimeNanos())), null, null);
      } catch (IOException | UnsupportedOperationException e) {
        // some file systems cannot set symlink times
      }
      symlinks++;
    } catch (IOException e) {
      failed.incrementAndGet();
      log.error("symlink " + v.path() + " was not restored: " + e.getMessage());
    }
  }

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /** Owner and group, when stored and when this process may set them (root; or a group it is in). */
  private void applyOwner(Path p, FileVersion v) {
    if (v.uid() < 0 || v.gid() < 0) {
      return;
    }
    try {
      if (ROOT) {
        Files.setAttribute(p, "unix:uid", (int) v.uid(), NOFOLLOW);
      }
      Files.setAttribute(p, "unix:gid", (int) v.gid(), NOFOLLOW);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not permitted for this user, or not a POSIX file system: the restoring user owns the file
    }
  }

  private void applyMetadata(Path p, FileVersion v) {
    applyOwner(p, v); // before the mode: changing the owner can clear set-id bits
    try {
      if (!Files.isSymbolicLink(p)) {
        Files.setPosixFilePermissions(p, permissions(v.mode()));
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: keep default permissions
    }
    try {
      Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
          .setTimes(FileTime.from(Instant.EPOCH.plusNanos(v.mtimeNanos())), null, null);
    } catch (IOException e) {
      log.warn("cannot set the time of " + p + ": " + e.getMessage());
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\.b247tmp-[0-9a-f]{1,16}");

  /** Temp files of an earlier, interrupted restore into the same folders (never under a final name). */
  private void removeLeftoverTemps() {
    for (Path dir : checkedDirs) {
      try (var s = Files.newDirectoryStream(dir, p -> TEMP.matcher(p.getFileName().toString()).matches())) {
        for (Path p : s) {
          if (Files.isRegularFile(p, NOFOLLOW)) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        log.warn("cannot clean temp files in " + dir + ": " + e.getMessage());
      }
    }
  }

  /** Guide ch. 13.2: remove what is in the target under the restored folders but not in the backup. */
  private void deleteUnmatched(Set<Path> restored, Set<Path> roots) throws IOException {
    if (sourceRoots.isEmpty() && target.getParent() == null) {
      // without the job's source folders, parents ("/home") cannot be told from backed-up folders
      log.error("unmatched data was not deleted: the source folders of job are unknown and the target is /");
      return;
    }
    for (Path root : roots) {
      if (!Files.isDirectory(root, NOFOLLOW)) {
        continue;
      }
      try (var s = Files.list(root)) {
        for (Path child : s.toList()) {
          if (!restored.contains(child)) {
            deleteTree(child);
          }
        }
      }
    }
  }

  private void deleteTree(Path p) throws IOException {
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        deleted++;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        try {
          Files.delete(dir);
          deleted++;
        } catch (DirectoryNotEmptyException e) {
          log.warn("could not remove " + dir + ": not empty");
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
