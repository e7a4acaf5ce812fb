package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A search by name ({@link Addresses#JOBS_RESTORE_SEARCH}, guide ch. 13.3), checked in one pass
 * ({@link RequestFields}): every bad field is a {@link FieldError} of one VALIDATION failure.
 *
 * @param job the restore point (null: the latest)
 * @param folder the folder searched ("/" when absent)
 * @param subfolders everything below the folder, not only its direct children (true when absent)
 * @param kind "files", "directories" or "both"
 * @param mode how names are compared with the pattern
 * @param pattern the pattern ("" when absent: every name)
 * @param matchCase whether case matters
 * @param page the page, from 1
 * @param perPage entries per page, 1 to {@link RestoreBrowser#MAX_PER_PAGE}
 */
record SearchRequest(String job, String folder, boolean subfolders, String kind, SearchMode mode, String pattern,
    boolean matchCase, int page, int perPage) {

  static SearchRequest of(JsonObject b) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(b, "", errors);
    RequestFields.destination(f);
    String folder = RequestFields.folder(b, "folder", f);
    boolean subfolders = b.getValue("subfolders") == null || RequestFields.bool(b, "subfolders", f);
    String kind = RequestFields.choice(b, "kind", "both", List.of("files", "directories", "both"), f);
    String mode = RequestFields.choice(b, "mode", "contains",
        List.of("contains", "exact", "starts-with", "ends-with", "glob"), f);
    String pattern = f.string("pattern", false);
    boolean matchCase = RequestFields.bool(b, "matchCase", f);
    int page = RequestFields.number(b, "page", 1, 1, Integer.MAX_VALUE, f);
    int perPage = RequestFields.number(b, "perPage", 50, 1, RestoreBrowser.MAX_PER_PAGE, f);
    String job = RequestFields.job(b.getValue("job"), f);
    if (!errors.isEmpty()) {
      throw FieldError.invalid(errors, "the search request");
    }
    String p = pattern == null ? "" : pattern;
    return new SearchRequest(job, folder, subfolders, kind, SearchMode.of(mode, p), p, matchCase, page, perPage);
  }
}
