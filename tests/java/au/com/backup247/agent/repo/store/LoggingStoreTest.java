package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingStoreTest {

  @Test
  void logsOperationPathSizeAndTimeButNoContent() {
    Logger log = (Logger) LoggerFactory.getLogger("test.LoggingStoreTest");
    log.setLevel(Level.DEBUG);
    log.setAdditive(false);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    try {
      LoggingStore s = new LoggingStore(new MemoryStore("memory:logged"), log);
      String secret = "hunter2-content";
      s.put("blocks/a.bak", secret.getBytes(StandardCharsets.UTF_8));
      s.get("blocks/a.bak", 2, 3);
      s.list("blocks/");
      s.delete("blocks/a.bak");
      assertThrows(NoSuchObjectException.class, () -> s.get("blocks/a.bak"));
      List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertEquals(5, lines.size(), lines.toString());
      assertTrue(lines.get(0).matches("put blocks/a\\.bak 15 bytes \\d+ ms on memory:logged"), lines.get(0));
      assertTrue(lines.get(1).startsWith("get blocks/a.bak@2 3 bytes"), lines.get(1));
      assertTrue(lines.get(2).startsWith("list blocks/ 1 objects"), lines.get(2));
      assertTrue(lines.get(4).startsWith("get blocks/a.bak failed after") && lines.get(4).contains("does not exist"),
          lines.get(4));
      for (String l : lines) {
        assertFalse(l.contains(secret), l);
      }
    } finally {
      log.detachAppender(events);
    }
  }
}
