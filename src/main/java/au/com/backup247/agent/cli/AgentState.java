package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.InstanceLock;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** What the CLI can tell about the agent of a home without talking to it: lock, pid, state file. */
record AgentState(boolean running, OptionalLong pid, Optional<JsonObject> state) {

  static AgentState read(AgentHome home) {
    boolean held = InstanceLock.isHeld(home);
    if (!held) {
      return new AgentState(false, OptionalLong.empty(), Optional.empty());
    }
    Optional<JsonObject> state = Optional.empty();
    try {
      if (Files.exists(home.stateFile())) {
        state = Optional.of(new JsonObject(Files.readString(home.stateFile())));
      }
    } catch (IOException | RuntimeException e) {
      // still starting or being rewritten: report what the pid file says
    }
    return new AgentState(true, InstanceLock.readPid(home), state);
  }

  /** The running agent's state, or NOT_RUNNING. */
  static AgentState require(AgentHome home) {
    AgentState s = read(home);
    if (!s.running()) {
      throw new AgentException(Failure.NOT_RUNNING, "the agent is not running (home " + home.root() + ")");
    }
    return s;
  }

  /** The API base URL, e.g. {@code http://127.0.0.1:7070/}, once the agent has finished starting. */
  Optional<String> api() {
    return state.map(s -> s.getString("api"));
  }

  /** The SHA-256 fingerprint of the certificate an HTTPS agent serves with, from the state file. */
  Optional<String> tlsFingerprint() {
    return state.map(s -> s.getJsonObject("tls")).map(t -> t.getString("fingerprint"));
  }

  boolean ready() {
    return state.isPresent() && pid.isPresent() && state.get().getLong("pid", -1L) == pid.getAsLong();
  }

  static String uptime(long startedAtMillis, long nowMillis) {
    Duration d = Duration.ofMillis(Math.max(0, nowMillis - startedAtMillis));
    long days = d.toDays();
    String hms = String.format("%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    return days > 0 ? days + "d " + hms : hms;
  }
}
