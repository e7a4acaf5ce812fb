package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A backup set named on the command line by its name or its id: the one resolver of every command
 * that takes a set ({@code b247 backup docs}, {@code --set docs}). A whole number is tried as an id
 * and as a name (so a set named {@code 2024} is still found; when the number is one set's id and
 * another's name, the user is asked to pick); anything else is a name,
 * compared ignoring case as the agent keeps names unique ignoring case
 * ({@code GET /api/v1/sets?name=}). A set the caller may not see is not found, as a missing one.
 */
final class SetRef {
  /** The parameter label and help of a set argument. */
  static final String LABEL = "SET";
  static final String HELP = "The backup set: its name (ignoring case) or its id.";
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
  private final JsonObject set;

  private SetRef(JsonObject set) {
    this.set = set;
  }

  /** The set {@code ref} names, as {@code GET /api/v1/sets/{id}} returns it; NOT_FOUND when none. */
  static SetRef resolve(AgentApi api, String ref) throws InterruptedException {
    String given = ref == null ? "" : ref.strip();
    if (given.isEmpty()) {
      throw new AgentException(Failure.BAD_REQUEST, "name the backup set (its name or id); b247 set list shows them");
    }
    JsonObject byId = null;
    if (ID.matcher(given).matches()) {
      try {
        byId = api.get("sets/" + given);
      } catch (AgentException e) {
        if (e.failure() != Failure.NOT_FOUND && e.failure() != Failure.BAD_REQUEST) {
          throw e;
        }
      }
    }
    JsonArray found = api.get("sets?name=" + AgentApi.query(given)).getJsonArray("items");
    JsonObject byName = found.isEmpty() ? null : found.getJsonObject(0);
    if (byId != null && byName != null && !byId.getLong("id").equals(byName.getLong("id"))) {
      throw new AgentException(Failure.BAD_REQUEST, "\"" + given + "\" is both the id of "
          + SetCommand.describe(byId) + " and the name of " + SetCommand.describe(byName) + "; use \""
          + byId.getString("name") + "\" or " + byName.getLong("id") + " instead");
    }
    if (byId != null || byName != null) {
      return new SetRef(byId != null ? byId : byName);
    }
    throw new AgentException(Failure.NOT_FOUND, "no backup set " + (ID.matcher(given).matches() ? "with id or name"
        : "named") + " \"" + given + "\"; b247 set list shows the sets");
  }

  long id() {
    return set.getLong("id");
  }

  String name() {
    return set.getString("name");
  }

  /** The set's settings as the agent returned them. */
  JsonObject json() {
    return set;
  }

  /** The API path of the set, {@code sets/ID}, to append sub-resources to. */
  String path() {
    return "sets/" + id();
  }

  /** {@code backup set "Docs" (id 17...)}. */
  String describe() {
    return SetCommand.describe(set);
  }

  /** {@code set "Docs" (id 17...)}, for "backup of set ..." lines. */
  String label() {
    return "set \"" + name() + "\" (id " + id() + ")";
  }

  List<String> destinations() {
    return set.getJsonArray("destinations", new JsonArray()).stream()
        .map(o -> ((JsonObject) o).getString("name")).toList();
  }

  /**
   * The destination a command acts on: {@code given} when the user named one, else the set's only
   * destination; BAD_REQUEST listing them when the set has several.
   */
  String destination(String given) {
    if (given != null) {
      return given;
    }
    List<String> names = destinations();
    if (names.size() == 1) {
      return names.get(0);
    }
    throw new AgentException(Failure.BAD_REQUEST, describe() + " has " + names.size() + " destinations ("
        + String.join(", ", names) + "): choose one with --destination NAME");
  }
}
