package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Space freeing ({@link Addresses#JOBS_SPACE_FREEING}) or confirming destinations' state
 * ({@link Addresses#JOBS_CONFIRM_STATE}), checked in one pass.
 *
 * @param setId the set (null: every set, space freeing only)
 * @param destinations the destinations' names (null: all of the set's)
 */
record SpaceFreeingRequest(Long setId, JsonArray destinations) {

  static SpaceFreeingRequest of(JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(body, "", errors);
    Object id = body.getValue("id");
    if (id != null && !(id instanceof Number)) {
      f.error("id", "v.whole", id);
    }
    JsonArray destinations = BackupRequest.destinationNames(body, "destinations", f);
    if (!errors.isEmpty()) {
      throw FieldError.invalid(errors, "the space freeing request");
    }
    return new SpaceFreeingRequest(id instanceof Number n ? n.longValue() : null, destinations);
  }
}
