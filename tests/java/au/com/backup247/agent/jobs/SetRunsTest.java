package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.jobs.SetRuns.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-set lock and its compatibility rule, every pair (plain futures: no event loop needed). */
class SetRunsTest {
  private static final long SET = 7;

  private static AgentException refusal(Future<?> f) {
    assertTrue(f.failed(), "refused");
    return AgentException.from(f.cause());
  }

  /** The table of the rule as SetRuns's Javadoc draws it: starting → running → allowed. */
  @Test
  void everyPair_followsTheTable() {
    List<List<Object>> table = List.of(
        List.of(Kind.BACKUP, Kind.BACKUP, false), List.of(Kind.BACKUP, Kind.RESTORE, true),
        List.of(Kind.BACKUP, Kind.SPACE_FREEING, false),
        List.of(Kind.RESTORE, Kind.BACKUP, true), List.of(Kind.RESTORE, Kind.RESTORE, false),
        List.of(Kind.RESTORE, Kind.SPACE_FREEING, false),
        List.of(Kind.SPACE_FREEING, Kind.BACKUP, false), List.of(Kind.SPACE_FREEING, Kind.RESTORE, false),
        List.of(Kind.SPACE_FREEING, Kind.SPACE_FREEING, false));
    for (List<Object> row : table) {
      Kind starting = (Kind) row.get(0);
      Kind running = (Kind) row.get(1);
      boolean allowed = (Boolean) row.get(2);
      assertEquals(allowed, SetRuns.compatible(starting, running), starting + " while " + running);
      LocalSetRuns runs = new LocalSetRuns();
      SetRuns.Claim held = runs.claim(SET, running).result();
      Future<SetRuns.Claim> next = runs.claim(SET, starting);
      assertEquals(allowed, next.succeeded(), starting + " while " + running);
      if (!allowed) {
        AgentException e = refusal(next);
        assertEquals(Failure.ALREADY_RUNNING, e.failure());
        assertEquals("e.busy." + starting.key + "." + running.key, e.key());
        assertTrue(e.getMessage().contains(held.runId()), "names the run holding the set: " + e.getMessage());
      }
      assertTrue(runs.claim(SET + 1, starting).succeeded(), "another set is not held");
    }
  }

  @Test
  void aRunThatNeverStarted_letsTheSetGo_andOneThatStarted_whenItEnds() {
    LocalSetRuns runs = new LocalSetRuns();
    runs.claim(SET, Kind.BACKUP).result().release();
    SetRuns.Claim claim = runs.claim(SET, Kind.BACKUP).result();
    Promise<Void> done = Promise.promise();
    claim.started(() -> new JsonObject(), done.future());
    claim.release(); // a started run is let go by its end only
    assertTrue(runs.claim(SET, Kind.BACKUP).failed());
    done.complete();
    assertTrue(runs.claim(SET, Kind.BACKUP).succeeded());
  }

  @Test
  void cancel_saysNone_thenStillStarting_thenAsksTheRun() {
    LocalSetRuns runs = new LocalSetRuns();
    assertEquals("e.restore.none", refusal(runs.cancel(SET, Kind.RESTORE)).key());
    SetRuns.Claim claim = runs.claim(SET, Kind.RESTORE).result();
    AgentException starting = refusal(runs.cancel(SET, Kind.RESTORE));
    assertEquals(Failure.CONFLICT, starting.failure());
    assertEquals("e.restore.starting", starting.key());
    AtomicInteger asked = new AtomicInteger();
    claim.started(() -> new JsonObject().put("cancelling", asked.incrementAndGet()), Promise.<Void>promise().future());
    assertEquals(1, runs.cancel(SET, Kind.RESTORE).result().getInteger("cancelling"));
    assertEquals("e.backup.none", refusal(runs.cancel(SET, Kind.BACKUP)).key(), "a restore is not the backup");
  }

  @Test
  void retentionAfterBackup_widensTheBackupsClaim_unlessARestoreRuns() {
    LocalSetRuns runs = new LocalSetRuns();
    SetRuns.Claim backup = runs.claim(SET, Kind.BACKUP).result();
    SetRuns.Claim restore = runs.claim(SET, Kind.RESTORE).result();
    AgentException refused = refusal(backup.widen(Kind.SPACE_FREEING));
    assertEquals("e.busy.spaceFreeing.restore", refused.key());
    restore.release();
    assertTrue(backup.widen(Kind.SPACE_FREEING).succeeded());
    assertEquals("e.busy.restore.spaceFreeing", refusal(runs.claim(SET, Kind.RESTORE)).key());
    assertEquals(Optional.of(backup.runId()), runs.busy(SET, EnumSet.of(Kind.SPACE_FREEING)));
  }

  @Test
  void busy_namesTheRunOfTheAskedKinds() {
    LocalSetRuns runs = new LocalSetRuns();
    SetRuns.Claim restore = runs.claim(SET, Kind.RESTORE).result();
    assertFalse(runs.busy(SET, EnumSet.of(Kind.BACKUP, Kind.SPACE_FREEING)).isPresent());
    assertEquals(Optional.of(restore.runId()), runs.busy(SET, EnumSet.of(Kind.RESTORE)));
  }

  @Test
  void stop_cancelsBackups_andWaitsForEveryRun() {
    LocalSetRuns runs = new LocalSetRuns();
    AtomicInteger cancelled = new AtomicInteger();
    Promise<Void> backup = Promise.promise();
    Promise<Void> restore = Promise.promise();
    runs.claim(SET, Kind.BACKUP).result().started(() -> {
      cancelled.incrementAndGet();
      return new JsonObject();
    }, backup.future());
    runs.claim(SET, Kind.RESTORE).result().started(() -> {
      throw new AssertionError("a restore is not cancelled at stop");
    }, restore.future());
    Future<Void> stopped = runs.stop();
    assertEquals(1, cancelled.get());
    backup.complete();
    assertFalse(stopped.isComplete(), "the restore still runs");
    restore.complete();
    assertTrue(stopped.succeeded());
  }
}
