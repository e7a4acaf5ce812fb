package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UploadSourceTest {
  /** Gives at most 3 bytes per read, as a pipe or a throttled stream does. */
  private static InputStream trickle(byte[] data) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 3));
      }
    };
  }

  @Test
  void readFillsExactlyTheAskedBytesFromAStreamThatTrickles() throws Exception {
    byte[] data = StoreContract.bytes(100, 1);
    UploadSource s = new UploadSource(trickle(data), 100);
    byte[] part = new byte[40];
    s.read(part, 0, 40);
    assertArrayEquals(Arrays.copyOf(data, 40), part);
    assertArrayEquals(Arrays.copyOfRange(data, 40, 100), s.readAll());
    assertEquals(100, s.done());
  }

  @Test
  void copyToSendsExactlyLengthBytesAndNoMore() throws Exception {
    byte[] data = StoreContract.bytes(1000, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new UploadSource(trickle(data), 777).copyTo(out::write, 64);
    assertArrayEquals(Arrays.copyOf(data, 777), out.toByteArray());
  }

  @Test
  void aSourceThatEndsEarlyIsATransientErrorSayingHowFarItGot() {
    StoreException e = assertThrows(StoreException.class, () -> UploadSource.readExactly(new MemoryStore("mem"),
        "blocks/a.bak", trickle(new byte[10]), 25));
    assertTrue(e.isTransient(), e.getMessage());
    assertEquals("cannot put blocks/a.bak on mem: upload failed after 10 of 25 bytes: source ended early",
        e.getMessage());
    UploadSource.Failure f = assertThrows(UploadSource.Failure.class,
        () -> new UploadSource(trickle(new byte[10]), 25).copyTo((b, o, n) -> { }, 8));
    assertTrue(f.getMessage().startsWith("upload failed after 10 of 25 bytes"), f.getMessage());
  }
}
