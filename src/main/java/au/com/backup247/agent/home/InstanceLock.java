package au.com.backup247.agent.home;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One agent per home: an exclusive OS file lock on {@code run/agent.lock}, held for the life of
 * the process (the OS releases it if the process dies, so a crash never leaves a stale lock), and
 * the pid in {@code run/agent.pid}.
 */
public final class InstanceLock implements AutoCloseable {
  private final AgentHome home;
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(AgentHome home, FileChannel channel, FileLock lock) {
    this.home = home;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails with ALREADY_RUNNING naming the pid of the running agent. */
  public static InstanceLock acquire(AgentHome home) {
    home.ensure();
    FileChannel ch = null;
    try {
      ch = FileChannel.open(PrivateFiles.createFile(home.lockFile()), StandardOpenOption.WRITE);
      FileLock l = tryLock(ch);
      if (l == null) {
        ch.close();
        String pid = readPid(home).stream().mapToObj(Long::toString).findFirst().orElse("unknown");
        throw new AgentException(Failure.ALREADY_RUNNING,
            "already running (pid " + pid + ") with home " + home.root());
      }
      Files.writeString(PrivateFiles.createFile(home.pidFile()), ProcessHandle.current().pid() + "\n",
          StandardCharsets.UTF_8);
      return new InstanceLock(home, ch, l);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new AgentException(Failure.CONFIG_INVALID, "cannot lock " + home.lockFile() + ": " + e.getMessage());
    }
  }

  /** True when some process holds the lock of this home. */
  public static boolean isHeld(AgentHome home) {
    if (!Files.exists(home.lockFile())) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(home.lockFile(), StandardOpenOption.WRITE)) {
      FileLock l = tryLock(ch);
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  public static OptionalLong readPid(AgentHome home) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(home.pidFile()).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this very JVM
    }
  }

  /** Releases the lock and removes the pid and state files. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(home.stateFile());
      Files.deleteIfExists(home.pidFile());
      lock.release();
    } catch (IOException e) {
      // the OS releases the lock when the process exits anyway
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
