package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ReadOnlyStoreTest {
  private final MemoryStore inner = new MemoryStore("memory:ro-test");

  @Test
  void readsAreForwarded() {
    inner.put("blocks/a.bak", new byte[] {1, 2, 3});
    ReadOnlyStore ro = new ReadOnlyStore(inner);
    assertArrayEquals(new byte[] {1, 2, 3}, ro.get("blocks/a.bak"));
    assertArrayEquals(new byte[] {2}, ro.get("blocks/a.bak", 1, 1));
    assertEquals(List.of(new Store.StoredObject("blocks/a.bak", 3)), ro.list("blocks/"));
    assertTrue(ro.exists("blocks/a.bak"));
    assertEquals(3, ro.stat("blocks/a.bak").orElseThrow().size());
    assertEquals("memory:ro-test", ro.name());
  }

  @Test
  void changesAreRefusedPermanentlyNamingTheStore() {
    inner.put("locks/x.lock", new byte[] {9});
    ReadOnlyStore ro = new ReadOnlyStore(inner);
    refused(() -> ro.put("blocks/b.bak", new byte[] {1}), "put", "blocks/b.bak");
    refused(() -> ro.put("blocks/b.bak", new byte[] {1, 2}, 1), "put", "blocks/b.bak");
    refused(() -> ro.put("blocks/b.bak", new ByteArrayInputStream(new byte[1]), 1), "put", "blocks/b.bak");
    refused(() -> ro.delete("locks/x.lock"), "delete", "locks/x.lock");
    assertFalse(inner.exists("blocks/b.bak"));
    assertTrue(inner.exists("locks/x.lock"));
  }

  private static void refused(Executable op, String verb, String path) {
    StoreException e = assertThrows(StoreException.class, op);
    assertFalse(e.isTransient());
    assertTrue(e.getMessage().contains("memory:ro-test") && e.getMessage().contains(verb)
        && e.getMessage().contains(path) && e.getMessage().contains("read-only"), e.getMessage());
  }
}
