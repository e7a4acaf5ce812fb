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
 * pass: every bad field is a {@link FieldError} of one VALIDATION failure. Booleans may also be the
 * strings {@code "true"} and {@code "false"}.
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

  /** A job id from the restore points, or "latest". */
  private static final String JOB = "[A-Za-z0-9._-]{1,64}";

  static RestoreRequest of(JsonObject b) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(b, "", errors);
    String destination = f.string("destination", true);
    if (destination != null && destination.isBlank()) {
      f.error("destination", "v.nonEmpty");
    }
    String job = job(b.getValue("job"), f);
    List<String> paths = new ArrayList<>();
    Object ps = b.getValue("paths");
    if (ps instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String p = absolute(a.getValue(i), "paths[" + i + "]", f);
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
    boolean delete = bool(b, "deleteUnmatched", f);
    if (delete && !bool(b, "confirmDeleteUnmatched", f)) {
      f.error("confirmDeleteUnmatched", "v.restore.confirmDelete");
    } else if (!delete) {
      bool(b, "confirmDeleteUnmatched", f);
    }
    Path temp = null;
    Object tempValue = b.getValue("temporaryDirectory");
    if (tempValue != null) {
      String abs = absolute(tempValue, "temporaryDirectory", f);
      if (abs != null && !Files.isDirectory(Path.of(abs), LinkOption.NOFOLLOW_LINKS)) {
        f.error("temporaryDirectory", "v.restore.temp", abs);
      } else if (abs != null) {
        temp = Path.of(abs);
      }
    }
    boolean allVersions = bool(b, "allVersions", f);
    boolean verify = bool(b, "verifyChecksums", f);
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
      String path = absolute(o.getValue("path"), "versions[" + i + "].path", f);
      if (path != null) {
        out.computeIfAbsent(path, k -> new HashSet<>()).add(job);
      }
    }
    return out;
  }

  /** An absolute path without "." or ".." parts, without a trailing slash; null (and an error) otherwise. */
  static String absolute(Object v, String field, JsonFields f) {
    if (!(v instanceof String s) || s.isEmpty() || s.indexOf('\0') >= 0 || !s.startsWith("/")) {
      f.error(field, "v.absolute", v);
      return null;
    }
    for (String part : s.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        f.error(field, "v.dots", s);
        return null;
      }
    }
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Null for the latest job. */
  private static String job(Object v, JsonFields f) {
    if (v == null || (v instanceof String s && (s.isBlank() || s.equalsIgnoreCase("latest")))) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches(JOB)) {
      f.error("job", "v.job", v);
      return null;
    }
    return s;
  }

  private static boolean bool(JsonObject b, String field, JsonFields f) {
    Object v = b.getValue(field);
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    return f.bool(field, false);
  }
}
