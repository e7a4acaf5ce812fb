package au.com.backup247.agent.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One MiB of disk kept beside the catalog, {@code catalog.reserve} (TEST-MATRIX R8; issue 11 item
 * 10): when the agent home fills up, a catalog write that fails for lack of space deletes the
 * reserve and is tried again, so the report of a backup that committed its data is still written
 * ("Completed", not "Backup not yet finished" after the next start). The agent makes the reserve
 * again at start and with every catalog copy while there is room. Blocking: call from a worker.
 */
final class SpaceReserve {
  static final int SIZE = 1 << 20;

  private SpaceReserve() {
  }

  static Path of(Path catalogFile) {
    return catalogFile.toAbsolutePath().resolveSibling("catalog.reserve");
  }

  /** Makes the reserve when missing; false (nothing left behind) when there is no room for it. */
  static boolean ensure(Path catalogFile) {
    Path p = of(catalogFile);
    try {
      if (Files.size(p) == SIZE) {
        return true;
      }
    } catch (IOException missing) {
      // made below
    }
    Path tmp = p.resolveSibling("catalog.reserve.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
      for (int done = 0; done < SIZE; done += zeros.capacity()) {
        zeros.clear();
        while (zeros.hasRemaining()) {
          ch.write(zeros);
        }
      }
      ch.force(true);
    } catch (IOException e) {
      deleteQuietly(tmp);
      return false;
    }
    try {
      Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      deleteQuietly(tmp);
      return false;
    }
  }

  /** Deletes the reserve to make room; true when there was one. */
  static boolean release(Path catalogFile) {
    try {
      return Files.deleteIfExists(of(catalogFile));
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing more to free
    }
  }
}
