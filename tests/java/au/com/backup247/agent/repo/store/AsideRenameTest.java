package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AsideRename} against a model of a server whose rename never overwrites (as Apache
 * FtpServer's and SFTP version 3's), with other writers' steps played at chosen points: the
 * interleavings a real server shows only now and then under load (the contract suites' eight
 * concurrent puts of one object run them for real on each server).
 */
class AsideRenameTest {
  private static final String TARGET = "blocks/dedup.bak";
  private static final String ASIDE = AsideRename.asideOf(TARGET);

  /** Files by name; before each call of a kind, the next scripted step of other writers runs. */
  private static class ModelServer implements AsideRename.Server {
    final Map<String, String> files = new HashMap<>();
    final Deque<Runnable> beforeRename = new ArrayDeque<>();
    final Deque<Runnable> beforeExists = new ArrayDeque<>();
    int renames;

    @Override
    public boolean rename(String from, String to) {
      step(beforeRename);
      renames++;
      return move(from, to);
    }

    boolean move(String from, String to) {
      if (!files.containsKey(from) || files.containsKey(to)) {
        return false;
      }
      files.put(to, files.remove(from));
      return true;
    }

    @Override
    public boolean exists(String path) {
      step(beforeExists);
      return files.containsKey(path);
    }

    @Override
    public void delete(String path) {
      files.remove(path);
    }

    private static void step(Deque<Runnable> steps) {
      Runnable r = steps.poll();
      if (r != null) {
        r.run();
      }
    }
  }

  @Test
  void replaces_whenOtherReplacesOfThePathHoldItAsideAtEachLook() throws IOException {
    ModelServer s = new ModelServer();
    s.files.put(TARGET, "old");
    s.files.put("tmp-1", "one");
    s.files.put("tmp-2", "two");
    s.files.put("tmp-mine", "mine");
    // writer 1 and then writer 2 replace the object; each time this put looks, the path is empty
    s.beforeExists.addAll(List.of(() -> s.move(TARGET, ASIDE), () -> {
      s.delete(ASIDE);
      s.move(TARGET, ASIDE);
    }));
    s.beforeRename.addAll(List.of(() -> { }, () -> s.move("tmp-1", TARGET), () -> {
      s.move("tmp-2", TARGET);
      s.delete(ASIDE);
    }));

    AsideRename.replace(s, "tmp-mine", TARGET, () -> new IOException("refused"));

    assertEquals(Map.of(TARGET, "mine"), s.files, "this put's object in place, nothing left aside or temporary");
  }

  @Test
  void aRefusalWithNothingInTheWay_isFinal_afterAFewLooks() {
    ModelServer s = new ModelServer() {
      @Override
      public boolean rename(String from, String to) {
        renames++;
        return false; // e.g. a name the server does not allow
      }
    };
    s.files.put("tmp-mine", "mine");
    IOException refusal = new IOException("553 file name not allowed");

    IOException e = assertThrows(IOException.class, () -> AsideRename.replace(s, "tmp-mine", TARGET, () -> refusal));

    assertSame(refusal, e);
    assertEquals(AsideRename.MISSING_ATTEMPTS, s.renames);
    assertEquals(Map.of("tmp-mine", "mine"), s.files);
  }
}
