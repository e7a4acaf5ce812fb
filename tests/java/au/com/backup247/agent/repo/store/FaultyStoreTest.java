package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultyStore.Fault;
import au.com.backup247.agent.repo.store.FaultyStore.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultyStoreTest {

  private static String run(long seed) {
    FaultyStore s = new FaultyStore(new MemoryStore(), seed)
        .rule(Op.PUT, 0.3, Fault.transientError())
        .rule(Op.PUT, 0.2, Fault.permanentError())
        .rule(Op.LIST, 0.3, Fault.emptyListing());
    StringBuilder trace = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      try {
        s.put("o/" + i, new byte[] {(byte) i});
        trace.append('.');
      } catch (StoreException e) {
        trace.append(e.isTransient() ? 'T' : 'P');
      }
      trace.append(s.list("").isEmpty() ? 'e' : 'l');
    }
    return trace.toString();
  }

  @Test
  void theSameSeedGivesTheSameFaults() {
    String a = run(42);
    assertEquals(a, run(42));
    assertNotEquals(a, run(43));
    assertTrue(a.contains("T") && a.contains("P") && a.contains("e") && a.contains("."), a);
  }

  @Test
  void scriptsComeFirstThenRules() {
    MemoryStore memory = new MemoryStore();
    FaultyStore s = new FaultyStore(memory, 1).rule(Op.GET, 1.0, Fault.permanentError())
        .script(Op.GET, Fault.none(), Fault.transientError());
    memory.put("a", new byte[] {1});
    s.get("a");
    assertTrue(assertThrows(StoreException.class, () -> s.get("a")).isTransient());
    assertFalse(assertThrows(StoreException.class, () -> s.get("a")).isTransient());
    assertEquals(2, s.injected(Op.GET));
    s.clear();
    s.get("a");
  }

  @Test
  void listingsCanBeEmptyOrPartial() {
    MemoryStore memory = new MemoryStore();
    for (int i = 0; i < 50; i++) {
      memory.put("snapshots/" + (100 + i), new byte[1]);
    }
    FaultyStore s = new FaultyStore(memory, 5).script(Op.LIST, Fault.emptyListing(), Fault.partialListing(0.3),
        Fault.partialListing(0.0));
    assertEquals(List.of(), s.list("snapshots/"));
    List<Store.StoredObject> partial = s.list("snapshots/");
    assertTrue(partial.size() > 20 && partial.size() < 50, "size " + partial.size());
    assertTrue(memory.list("snapshots/").containsAll(partial), "only real objects");
    assertEquals(49, s.list("snapshots/").size(), "a partial listing drops at least one object");
    assertEquals(50, s.list("snapshots/").size());
  }

  @Test
  void delaysUseTheSleeperAndLostResponsesDoTheWork() {
    List<Duration> slept = new ArrayList<>();
    MemoryStore memory = new MemoryStore();
    FaultyStore s = new FaultyStore(memory, 1).sleeper(slept::add)
        .script(Op.PUT, Fault.delay(Duration.ofSeconds(3)), Fault.lostResponse());
    s.put("a", new byte[] {1});
    assertEquals(List.of(Duration.ofSeconds(3)), slept);
    StoreException e = assertThrows(StoreException.class, () -> s.put("b", new byte[] {2}));
    assertTrue(e.isTransient());
    assertTrue(memory.exists("b"), "the put was done; only its answer was lost");
  }

  @Test
  void faultsOnlyWhereTheyMakeSense() {
    FaultyStore s = new FaultyStore(new MemoryStore(), 1);
    assertThrows(IllegalArgumentException.class, () -> s.rule(Op.GET, 0.5, Fault.dropAfter(10)));
    assertThrows(IllegalArgumentException.class, () -> s.script(Op.PUT, Fault.emptyListing()));
    assertThrows(IllegalArgumentException.class, () -> s.rule(Op.PUT, 1.5, Fault.transientError()));
    assertThrows(IllegalArgumentException.class, () -> s.script(Op.GET, Fault.silentDrop()));
    assertThrows(IllegalArgumentException.class, () -> s.script(Op.LIST, "x/", Fault.corrupt()));
  }

  @Test
  void silentDamage_aimedAtAPrefix_leavesOtherPathsAlone() {
    MemoryStore memory = new MemoryStore();
    FaultyStore s = new FaultyStore(memory, 9)
        .script(Op.PUT, "blocks/", Fault.silentDrop(), Fault.truncate(), Fault.corrupt())
        .script(Op.GET, "index/", Fault.truncate(), Fault.corrupt());
    byte[] data = new byte[100];
    java.util.Arrays.fill(data, (byte) 7);
    s.put("config", data); // not aimed at
    s.put("blocks/a", data); // dropped: success, nothing stored
    s.put("blocks/b", data);
    s.put("blocks/c", data);
    s.put("blocks/d", data); // the script is used up
    assertTrue(memory.exists("config"));
    assertFalse(memory.exists("blocks/a"));
    assertEquals(50, memory.get("blocks/b").length);
    byte[] c = memory.get("blocks/c");
    assertEquals(100, c.length);
    assertEquals(1, java.util.stream.IntStream.range(0, 100).filter(i -> c[i] != 7).count(), "one byte flipped");
    assertArrayEquals(data, memory.get("blocks/d"));

    memory.put("index/x", data);
    assertArrayEquals(data, s.get("config"));
    assertEquals(50, s.get("index/x").length, "returned short");
    byte[] corrupted = s.get("index/x");
    assertEquals(100, corrupted.length);
    assertNotEquals(java.util.Arrays.toString(data), java.util.Arrays.toString(corrupted));
    assertArrayEquals(data, s.get("index/x"), "the stored object was never touched");
    assertEquals(5, s.injected(Op.PUT) + s.injected(Op.GET));
  }
}
