package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sliced reads and writes move every byte, in order, across slice boundaries, and stop at the end of a file. */
class ChannelIoTest {
  @TempDir
  Path dir;

  @Test
  void writeThenRead_acrossSlices_andAShortReadAtTheEnd() throws Exception {
    byte[] data = new byte[2 * ChannelIo.SLICE + 12345];
    new Random(7).nextBytes(data);
    Path f = dir.resolve("f");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ChannelIo.write(ch, data, 100, data.length - 100);
    }
    assertArrayEquals(Arrays.copyOfRange(data, 100, data.length), Files.readAllBytes(f));
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      byte[] back = new byte[data.length + 50];
      assertEquals(data.length - 100, ChannelIo.read(ch, back, 50, data.length), "fewer only at the end");
      assertArrayEquals(Arrays.copyOfRange(data, 100, data.length), Arrays.copyOfRange(back, 50, data.length - 50));
      byte[] range = new byte[ChannelIo.SLICE + 7];
      assertEquals(range.length, ChannelIo.read(ch, 3, range, 0, range.length));
      assertArrayEquals(Arrays.copyOfRange(data, 103, 103 + range.length), range);
      assertEquals(data.length - 100, ch.position(), "a positional read does not move the channel");
    }
  }
}
