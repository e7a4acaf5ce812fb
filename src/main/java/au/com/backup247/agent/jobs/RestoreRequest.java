package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restore's start ({@link Addresses#JOBS_RESTORE_START}, the API's RestoreRequest), checked in one
 * pass ({@link RequestFields}): every bad field is a {@link FieldError} of one VALIDATION failure.
 * Booleans may also be the strings {@code "true"} and {@code "false"}.
 *
 * @param destination the destination to restore from
 * @param job the restore point (null: the latest)
 * @param paths absolute paths to restore (empty: everything)
 * @param target the folder to restore under ({@code /} for the original location)
 * @param original whether it is the original location
 * @param allVersions every version, not only the job's
 * @param deleteUnmatched delete what is under the restored folders but not in the backup
 * @param verify read back and verify each restored file
 * @param temp the temporary folder asked for (null: none)
 * @param versions with {@code allVersions}: path → the first jobs of the versions chosen
 */
record RestoreRequest(String destination, String job, List<String> paths, Path target, boolean original,
    boolean allVersions, boolean deleteUnmatched, boolean verify, Path temp, Map<String, Set<String>> versions) {

  static RestoreRequest of(JsonObject b) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(b, "", errors);
    String destination = RequestFields.destination(f);
    String job = RequestFields.job(b.getValue("job"), f);
    List<String> paths = new ArrayList<>();
    Object ps = b.getValue("paths");
    if (ps instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String p = RequestFields.absolute(a.getValue(i), "paths[" + i + "]", f);
        if (p != null) {
          paths.add(p);
        }
      }
    } else if (ps != null) {
      f.error("paths", "v.strings", ps);
    }
    Object t = b.getValue("target");
    boolean original = t instanceof String s && s.equalsIgnoreCase("original");
    Path target = original ? Path.of("/") : null;
    if (t == null) {
      f.error("target", "v.required");
    } else if (!original && t instanceof String s && Path.of(s).isAbsolute()) {
      target = Path.of(s).normalize();
    } else if (!original) {
      f.error("target", "v.restore.target", t);
    }
    boolean delete = RequestFields.bool(b, "deleteUnmatched", f);
    if (delete && !RequestFields.bool(b, "confirmDeleteUnmatched", f)) {
      f.error("confirmDeleteUnmatched", "v.restore.confirmDelete");
    } else if (!delete) {
      RequestFields.bool(b, "confirmDeleteUnmatched", f);
    }
    Path temp = null;
    Object tempValue = b.getValue("temporaryDirectory");
    if (tempValue != null) {
      String abs = RequestFields.absolute(tempValue, "temporaryDirectory", f);
      if (abs != null && !Files.isDirectory(Path.of(abs), LinkOption.NOFOLLOW_LINKS)) {
        f.error("temporaryDirectory", "v.restore.temp", abs);
      } else if (abs != null) {
        temp = Path.of(abs);
      }
    }
    boolean allVersions = RequestFields.bool(b, "allVersions", f);
    boolean verify = RequestFields.bool(b, "verifyChecksums", f);
    Map<String, Set<String>> versions = versions(b.getValue("versions"), allVersions, f);
    if (!errors.isEmpty()) {
      throw FieldError.invalid(errors, "the restore request");
    }
    return new RestoreRequest(destination, job, List.copyOf(paths), target, original, allVersions, delete, verify,
        temp, versions);
  }

  /** "versions": [{"path", "job"}] (with allVersions only) as path → the first jobs of its chosen versions. */
  private static Map<String, Set<String>> versions(Object v, boolean allVersions, JsonFields f) {
    Map<String, Set<String>> out = new HashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a) || !allVersions) {
      f.error("versions", "v.restore.versions");
      return out;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o) || !(o.getValue("job") instanceof String job) || job.isBlank()
          || !(o.getValue("path") instanceof String)) {
        f.error("versions[" + i + "]", "v.restore.versions");
        continue;
      }
      String path = RequestFields.absolute(o.getValue("path"), "versions[" + i + "].path", f);
      if (path != null) {
        out.computeIfAbsent(path, k -> new HashSet<>()).add(job);
      }
    }
    return out;
  }
}
