package au.com.backup247.agent.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.MemoryStore;
import au.com.backup247.agent.repo.store.ReadOnlyStore;
import au.com.backup247.agent.repo.store.StoreException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeTest {

  @Test
  void workingStore_passesEveryStep_andKeepsNothing() {
    MemoryStore m = new MemoryStore("mem");
    Probe.Report r = Probe.run(m, 1000, new Random(1));
    assertTrue(r.ok());
    assertEquals(List.of("connect", "put", "get", "list", "delete"), r.steps().stream().map(Probe.Step::name).toList());
    assertTrue(r.object().startsWith("probe/") && r.object().endsWith(".probe"), r.object());
    assertTrue(m.list("").isEmpty(), "the probe is deleted");
    assertNull(r.leftOver());
    assertTrue(r.steps().stream().allMatch(s -> s.nanos() >= 0 && s.kind() == null));
  }

  @Test
  void readOnlyStore_failsAtPut_permanently() {
    Probe.Report r = Probe.run(new ReadOnlyStore(new MemoryStore("mem")), 10, new Random(2));
    assertFalse(r.ok());
    Probe.Step f = r.failed().orElseThrow();
    assertEquals("put", f.name());
    assertEquals(StoreException.Kind.PERMANENT, f.kind());
    assertEquals(2, r.steps().size(), "stops at the first failure");
  }

  @Test
  void unreachableStore_failsAtConnect_transiently() {
    FaultyStore f = new FaultyStore(new MemoryStore("mem"), 7).script(FaultyStore.Op.STAT,
        FaultyStore.Fault.transientError());
    Probe.Report r = Probe.run(f, 10, new Random(8));
    Probe.Step s = r.failed().orElseThrow();
    assertEquals("connect", s.name());
    assertEquals(StoreException.Kind.TRANSIENT, s.kind());
    assertEquals(1, r.steps().size());
  }

  @Test
  void transientGetFailure_isReportedAsTransient_andTheProbeIsCleanedUp() {
    MemoryStore m = new MemoryStore("mem");
    FaultyStore f = new FaultyStore(m, 7).script(FaultyStore.Op.GET, FaultyStore.Fault.transientError());
    Probe.Report r = Probe.run(f, 10, new Random(3));
    Probe.Step s = r.failed().orElseThrow();
    assertEquals("get", s.name());
    assertEquals(StoreException.Kind.TRANSIENT, s.kind());
    assertTrue(m.list("").isEmpty(), "cleaned up after the failure");
  }

  @Test
  void corruptingStore_failsAtGet_sayingTheBytesDiffer() {
    MemoryStore m = new MemoryStore("mem");
    ForwardingStore flip = new ForwardingStore(m) {
      @Override
      public byte[] get(String path) {
        byte[] b = inner.get(path);
        b[5] ^= 1;
        return b;
      }
    };
    Probe.Step s = Probe.run(flip, 10, new Random(4)).failed().orElseThrow();
    assertEquals("get", s.name());
    assertTrue(s.detail().contains("differ") && s.detail().contains("byte 5"), s.detail());
  }

  @Test
  void listingWithoutTheProbe_failsAtList() {
    FaultyStore f = new FaultyStore(new MemoryStore("mem"), 7).script(FaultyStore.Op.LIST,
        FaultyStore.Fault.emptyListing());
    Probe.Step s = Probe.run(f, 10, new Random(5)).failed().orElseThrow();
    assertEquals("list", s.name());
    assertTrue(s.detail().contains("missing from the listing"), s.detail());
  }

  @Test
  void deleteThatDoesNothing_failsAtDelete() {
    ForwardingStore sticky = new ForwardingStore(new MemoryStore("mem")) {
      @Override
      public void delete(String path) {
      }
    };
    Probe.Step s = Probe.run(sticky, 10, new Random(6)).failed().orElseThrow();
    assertEquals("delete", s.name());
    assertTrue(s.detail().contains("still there"), s.detail());
  }
}
