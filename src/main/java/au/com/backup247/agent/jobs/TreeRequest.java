package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree of a folder as of a job ({@link Addresses#JOBS_RESTORE_TREE}), checked in one pass
 * ({@link RequestFields}): every bad field is a {@link FieldError} of one VALIDATION failure.
 *
 * @param job the restore point (null: the latest)
 * @param path the folder ("/" when absent)
 * @param allVersions every version of each child, not only the job's
 */
record TreeRequest(String job, String path, boolean allVersions) {

  static TreeRequest of(JsonObject b) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(b, "", errors);
    RequestFields.destination(f);
    String path = RequestFields.folder(b, "path", f);
    boolean all = RequestFields.bool(b, "allVersions", f);
    String job = RequestFields.job(b.getValue("job"), f);
    if (!errors.isEmpty()) {
      throw FieldError.invalid(errors, "the tree request");
    }
    return new TreeRequest(job, path, all);
  }
}
