package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link SetRuns} of one agent: the claims in a map, confined to the owning verticle's context (no
 * locks; every method and every run's completion is called there).
 */
final class LocalSetRuns implements SetRuns {
  private final Map<Long, List<Held>> bySet = new HashMap<>();

  @Override
  public Future<Claim> claim(long setId, Kind kind) {
    Optional<AgentException> refused = refusal(setId, kind, null);
    if (refused.isPresent()) {
      return Future.failedFuture(refused.get());
    }
    Held h = new Held(setId, kind, UUID.randomUUID().toString());
    bySet.computeIfAbsent(setId, k -> new ArrayList<>()).add(h);
    return Future.succeededFuture(h);
  }

  /** Why a run of {@code kind} may not start on the set now (ignoring the claim {@code self}), if so. */
  private Optional<AgentException> refusal(long setId, Kind kind, Held self) {
    for (Held h : bySet.getOrDefault(setId, List.of())) {
      if (h == self) {
        continue;
      }
      for (Kind k : h.kinds) {
        if (!SetRuns.compatible(kind, k)) {
          return Optional.of(AgentException.of(Failure.ALREADY_RUNNING, "e.busy." + kind.key + "." + k.key, setId,
              h.runId));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> busy(long setId, Set<Kind> kinds) {
    return bySet.getOrDefault(setId, List.of()).stream()
        .filter(h -> h.kinds.stream().anyMatch(kinds::contains)).map(h -> h.runId).findFirst();
  }

  @Override
  public Future<JsonObject> cancel(long setId, Kind kind) {
    Held h = bySet.getOrDefault(setId, List.of()).stream().filter(x -> x.kind == kind).findFirst().orElse(null);
    if (h == null || h.cancel == null) {
      return Future.failedFuture(AgentException.of(Failure.CONFLICT,
          "e." + kind.key + (h == null ? ".none" : ".starting"), setId));
    }
    return Future.succeededFuture(h.cancel.get());
  }

  @Override
  public Future<Void> stop() {
    List<Future<Void>> running = new ArrayList<>();
    for (List<Held> set : bySet.values()) {
      for (Held h : set) {
        if (h.done != null) {
          if (h.kind == Kind.BACKUP) {
            h.cancel.get();
          }
          running.add(h.done);
        }
      }
    }
    return Future.join(running).mapEmpty();
  }

  private void remove(Held h) {
    List<Held> set = bySet.get(h.setId);
    if (set != null && set.remove(h) && set.isEmpty()) {
      bySet.remove(h.setId);
    }
  }

  /** One claim: what it holds the set for, and once started, how to cancel it and its end. */
  private final class Held implements Claim {
    private final long setId;
    private final Kind kind;
    private final String runId;
    private final Set<Kind> kinds;
    private Supplier<JsonObject> cancel;
    private Future<Void> done;

    Held(long setId, Kind kind, String runId) {
      this.setId = setId;
      this.kind = kind;
      this.runId = runId;
      this.kinds = EnumSet.of(kind);
    }

    @Override
    public long setId() {
      return setId;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public String runId() {
      return runId;
    }

    @Override
    public void started(Supplier<JsonObject> cancel, Future<Void> done) {
      this.cancel = cancel;
      this.done = done;
      done.onComplete(x -> remove(this));
    }

    @Override
    public Future<Void> widen(Kind also) {
      Optional<AgentException> refused = refusal(setId, also, this);
      if (refused.isPresent()) {
        return Future.failedFuture(refused.get());
      }
      kinds.add(also);
      return Future.succeededFuture();
    }

    @Override
    public void release() {
      if (done == null) {
        remove(this);
      }
    }
  }
}
