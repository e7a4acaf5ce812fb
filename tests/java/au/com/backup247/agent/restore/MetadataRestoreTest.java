package au.com.backup247.agent.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.fs.FdCalls;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.ExtendedAttribute;
import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 7: set-uid, set-gid and sticky bits and extended attributes survive a backup and
 * a restore; what the restoring user may not apply is said in the log.
 */
class MetadataRestoreTest {

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static void chmod(Path p, int mode) throws IOException {
    Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void setIdAndStickyBits_areRestored(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("shared"));
    Files.createDirectories(src.resolve("tmp"));
    Path sudo = src.resolve("sudo");
    Files.writeString(sudo, "#!/bin/sh\n");
    Path group = src.resolve("group-tool");
    Files.writeString(group, "#!/bin/sh\n");
    chmod(sudo, 04755);
    chmod(group, 02755); // the file's group is the user's own: the kernel keeps set-gid
    chmod(src.resolve("shared"), 02775);
    chmod(src.resolve("tmp"), 01777);
    List<JobLog.Line> lines = new ArrayList<>();
    Path out = backUpAndRestore(dir, src, lines);
    assertEquals("4755", Integer.toOctalString(mode(out.resolve("sudo"))));
    assertEquals("2755", Integer.toOctalString(mode(out.resolve("group-tool"))));
    assertEquals("2775", Integer.toOctalString(mode(out.resolve("shared"))));
    assertEquals("1777", Integer.toOctalString(mode(out.resolve("tmp"))));
    assertTrue(lines.stream().noneMatch(l -> l.toString().contains("could not be restored")), lines.toString());
  }

  /**
   * Files get their mode, modification time (to the nanosecond) and, as root, owner and group through
   * their descriptor; folders through theirs. Times and modes are those of real files, compared with
   * the source's as the file system reports them.
   */
  @Test
  void modesTimesAndOwners_ofFilesAndFolders_areRestored(@TempDir Path dir) throws Exception {
    if (Files.isDirectory(Path.of("/proc/self/fd"))) {
      assertTrue(FdCalls.available(), "the tests run with the agent's --add-opens: the descriptor path is the one tested");
    }
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Path[] files = {src.resolve("private.txt"), src.resolve("tool.sh"), src.resolve("sub/read-only"),
        src.resolve("sub/big.bin")};
    int[] modes = {0600, 0755, 0444, 0640};
    byte[] big = new byte[3 << 20];
    new java.util.Random(7).nextBytes(big);
    for (int i = 0; i < files.length; i++) {
      Files.write(files[i], i == 3 ? big : ("file " + i).getBytes(StandardCharsets.UTF_8));
      chmod(files[i], modes[i]);
      Files.setLastModifiedTime(files[i], FileTime.from(1_600_000_000_123_456_789L + i * 86_400_000_000_017L,
          TimeUnit.NANOSECONDS));
    }
    chmod(src.resolve("sub"), 0750);
    Files.setLastModifiedTime(src.resolve("sub"), FileTime.from(1_500_000_000_987_654_321L, TimeUnit.NANOSECONDS));
    boolean root = MetadataWriter.ROOT;
    if (root) {
      Files.setAttribute(files[0], "unix:uid", 4321, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(files[0], "unix:gid", 4322, LinkOption.NOFOLLOW_LINKS);
    }
    List<JobLog.Line> lines = new ArrayList<>();
    Path out = backUpAndRestore(dir, src, lines);
    for (int i = 0; i < files.length; i++) {
      Path r = out.resolve(src.relativize(files[i]));
      assertEquals(Integer.toOctalString(modes[i]), Integer.toOctalString(mode(r)), r.toString());
      assertEquals(Files.getLastModifiedTime(files[i]), Files.getLastModifiedTime(r), r.toString());
      assertEquals(Files.getAttribute(files[i], "unix:uid"), Files.getAttribute(r, "unix:uid"), r.toString());
      assertEquals(Files.getAttribute(files[i], "unix:gid"), Files.getAttribute(r, "unix:gid"), r.toString());
    }
    assertEquals(Files.readString(files[1]), Files.readString(out.resolve("tool.sh")));
    assertTrue(java.util.Arrays.equals(big, Files.readAllBytes(out.resolve("sub/big.bin"))));
    assertEquals("750", Integer.toOctalString(mode(out.resolve("sub"))));
    assertEquals(Files.getLastModifiedTime(src.resolve("sub")), Files.getLastModifiedTime(out.resolve("sub")));
    if (root) {
      assertEquals(4321, Files.getAttribute(out.resolve("private.txt"), "unix:uid"));
    }
    assertTrue(lines.stream().noneMatch(l -> l.toString().contains("could not be restored")), lines.toString());
  }

  @Test
  void extendedAttributes_ofFilesAndFolders_areStoredAndRestored(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("folder"));
    Path f = src.resolve("tagged.txt");
    Files.writeString(f, "content");
    assumeXattrs(f);
    xattr(f, "comment", "kept with the file");
    xattr(f, "binary", "\u0000\u00ff");
    xattr(src.resolve("folder"), "origin", "folder attribute");
    Files.writeString(src.resolve("plain.txt"), "no attributes");
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    FileVersion stored = History.load(repo, null).current().get(f.toAbsolutePath().toString());
    assertEquals(List.of("user.binary", "user.comment"), stored.xattrs().stream().map(ExtendedAttribute::name).toList());
    List<JobLog.Line> lines = new ArrayList<>();
    RepoFixture.restore(repo, dir.resolve("out"), null, false, lines);
    Path out = RepoFixture.under(dir.resolve("out"), src);
    assertEquals("kept with the file", read(out.resolve("tagged.txt"), "comment"));
    assertEquals("\u0000\u00ff", read(out.resolve("tagged.txt"), "binary"));
    assertEquals("folder attribute", read(out.resolve("folder"), "origin"));
    assertEquals(List.of(), view(out.resolve("plain.txt")).list());
    assertTrue(lines.stream().noneMatch(l -> l.toString().contains("could not be restored")), lines.toString());
  }

  @Test
  void attributesThatCannotBeApplied_areSaidInTheLog_once(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("from-a-mac");
    Files.writeString(f, "x");
    assumeXattrs(f);
    List<JobLog.Line> lines = new ArrayList<>();
    MetadataWriter w = new MetadataWriter(RepoFixture.jobLog(lines));
    // attributes of a macOS backup: outside Linux's user namespace, which is all the JDK can set
    FileVersion v = new FileVersion("/from-a-mac", FileVersion.FILE, 1, 0644, 0, 0, 0, "", List.of(), -1, -1,
        List.of(new ExtendedAttribute("com.apple.FinderInfo", new byte[32]), new ExtendedAttribute("user.ok",
            "yes".getBytes(StandardCharsets.UTF_8))));
    w.apply(f, false, v, "/restored/from-a-mac");
    w.apply(f, false, v, "/restored/again");
    w.report();
    assertEquals("yes", read(f, "ok"));
    List<String> warned = lines.stream().map(JobLog.Line::toString).filter(l -> l.contains("could not be restored"))
        .toList();
    assertEquals(1, warned.size(), lines.toString());
    assertTrue(warned.get(0).contains("extended attributes could not be restored on 2 entries, e.g. "
        + "/restored/from-a-mac: com.apple.FinderInfo"), warned.get(0));
  }

  static void assumeXattrs(Path p) {
    try {
      view(p).write("probe", ByteBuffer.wrap(new byte[] {1}));
      view(p).delete("probe");
    } catch (IOException | UnsupportedOperationException | NullPointerException e) {
      Assumptions.abort("this file system has no user extended attributes: " + e);
    }
  }

  static UserDefinedFileAttributeView view(Path p) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }

  static void xattr(Path p, String name, String value) throws IOException {
    view(p).write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)));
  }

  static String read(Path p, String name) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(view(p).size(name));
    view(p).read(name, b);
    return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
  }

  /** Backs {@code src} up into a new repository under {@code dir} and restores it; the restored copy of {@code src}. */
  private static Path backUpAndRestore(Path dir, Path src, List<JobLog.Line> lines) throws Exception {
    Repository repo = RepoFixture.init(dir.resolve("repo"));
    assertTrue(RepoFixture.backup(src, repo).get(0).ok());
    RestoreEngine.Summary s = RepoFixture.restore(repo, dir.resolve("out"), null, false, lines);
    assertEquals(0, s.failed(), lines.toString());
    return RepoFixture.under(dir.resolve("out"), src);
  }
}
