package au.com.backup247.agent.bus;

/**
 * Every event-bus address of the agent, in one place.
 *
 * <p>Addresses read {@code b247.<concern>.<name>}. Commands and queries are verbs
 * ({@code b247.catalog.ping}); published events are past tense ({@code b247.events.agent-started}).
 */
public final class Addresses {
  private Addresses() {
  }

  /** Query: is the catalog reachable? Replies {@code {"schemaVersion": n}} or fails UNAVAILABLE. */
  public static final String CATALOG_PING = "b247.catalog.ping";
  /** Query: keyset page of agent runs. Body {@code {"after": id|null, "limit": n}}. */
  public static final String CATALOG_LIST_RUNS = "b247.catalog.list-runs";

  /** Command: store a new backup set row. Body: {@code SetRow} JSON. Fails CONFLICT on a taken name or id. */
  public static final String CATALOG_SETS_INSERT = "b247.catalog.sets.insert";
  /** Command: replace a set's name and settings. Body {@code {"id", "name", "json"|null, "updatedAt"}}. */
  public static final String CATALOG_SETS_UPDATE = "b247.catalog.sets.update";
  /** Command: delete a set row. Body {@code {"id"}}. */
  public static final String CATALOG_SETS_DELETE = "b247.catalog.sets.delete";
  /** Query: one set row. Body {@code {"id"}}; fails NOT_FOUND. */
  public static final String CATALOG_SETS_GET = "b247.catalog.sets.get";
  /** Query: keyset page of set rows. Body {@code {"after": id|null, "limit": n, "ownerId"?: account}}. */
  public static final String CATALOG_SETS_LIST = "b247.catalog.sets.list";
  /** Command: give a set to another account. Body {@code {"id", "ownerId": account|null}}. */
  public static final String CATALOG_SETS_SET_OWNER = "b247.catalog.sets.set-owner";
  /** Query: the largest set id. Replies {@code {"maxId": n}} (0 when there is none). */
  public static final String CATALOG_SETS_MAX_ID = "b247.catalog.sets.max-id";

  /** Command: store backup reports. Body {@code {"rows": [JobRow...], "lines": [line...]}}; replies {@code {"ids"}}. */
  public static final String CATALOG_JOBS_INSERT = "b247.catalog.jobs.insert";
  /**
   * Command: end a report. Body {@code {"id", "jobId", "status", "endedAt", "stats", "lines", "replaceLog"?}};
   * with {@code replaceLog} the stored lines are removed first ({@code lines} is then the whole log).
   */
  public static final String CATALOG_JOBS_FINISH = "b247.catalog.jobs.finish";
  /** Command: append a running job's log lines to its reports. Body {@code {"ids": [report ids], "lines"}}. */
  public static final String CATALOG_JOBS_LOG_APPEND = "b247.catalog.jobs.log-append";
  /** Command: move every report of one status to another. Body {@code {"from", "to", "message", "now"}}. */
  public static final String CATALOG_JOBS_MARK = "b247.catalog.jobs.mark";
  /** Query: reports, newest first. Body: {@code JobQuery} JSON; replies {@code {"items", "next"}}. */
  public static final String CATALOG_JOBS_LIST = "b247.catalog.jobs.list";
  /** Query: one report with its log. Body {@code {"id", "level"?, "logAfter"?, "logLimit"?}}. */
  public static final String CATALOG_JOBS_GET = "b247.catalog.jobs.get";
  /**
   * Query: a set's charts, from its backup and space freeing reports ({@code catalog.JobSeries}).
   * Body {@code {"setId", "limit"}}; replies {@code {"setId", "destinations": [{"name", "points"}]}}.
   */
  public static final String CATALOG_JOBS_SERIES = "b247.catalog.jobs.series";
  /**
   * Prefix of the account store's operations ({@code catalog.AccountStore}): accounts, sessions and
   * login failures, e.g. {@code b247.catalog.accounts.find-user}; the wire format of each is in
   * {@code catalog.AccountStoreClient}.
   */
  public static final String CATALOG_ACCOUNTS = "b247.catalog.accounts.";
  /** Query: up to when a set's schedules were evaluated. Body {@code {"setId"}}; replies {@code {"lastEvaluated"}}. */
  public static final String CATALOG_SCHEDULE_STATE_GET = "b247.catalog.schedule-state.get";
  /** Command: remember up to when a set's schedules were evaluated. Body {@code {"setId", "lastEvaluated"}}. */
  public static final String CATALOG_SCHEDULE_STATE_PUT = "b247.catalog.schedule-state.put";

  /** Query: keyset page of backup sets. Body {@code {"after": id|null, "limit": n}}. */
  public static final String SETS_LIST = "b247.sets.list";
  /** Query: one backup set (never its key). Body {@code {"id"}}. */
  public static final String SETS_GET = "b247.sets.get";
  /** Command: create a backup set. Body: the set's settings; the reply carries the key once. */
  public static final String SETS_CREATE = "b247.sets.create";
  /** Command: replace a set's settings (not its encryption). Body {@code {"id", "set": {...}}}. */
  public static final String SETS_UPDATE = "b247.sets.update";
  /** Command: rename a set. Body {@code {"id", "name"}}. */
  public static final String SETS_RENAME = "b247.sets.rename";
  /** Command: delete a set (its key is kept under keys/deleted/). Body {@code {"id"}}. */
  public static final String SETS_DELETE = "b247.sets.delete";
  /**
   * Query: may the caller use this set (its owner or an admin)? Body {@code {"id", "caller"}}; replies
   * {@code {"id", "ownerId"}}, fails NOT_FOUND for a set that is missing or not the caller's.
   */
  public static final String SETS_ACCESS = "b247.sets.access";
  /** Query: a set's encryption key. Body {@code {"id"}}; replies {@code {"id", "encryptionKey"}}. */
  public static final String SETS_UNMASK_KEY = "b247.sets.unmask-key";
  /**
   * Command: store a destination's credentials for a set (replacing what was stored). Body {@code {"id",
   * "destination": name, "credentials": {key: value}}}; replies {@code {"id", "destination", "credentials":
   * "stored"}}, never a value. Fails NOT_FOUND (set or destination), VALIDATION (a key the destination does
   * not take, a bad value).
   */
  public static final String SETS_CREDENTIALS_PUT = "b247.sets.credentials.put";
  /**
   * Command: test a set's destination with its stored credentials (connect, write, read, list,
   * delete a probe). Body {@code {"id", "destination"}}; replies {@code {"destination", "ok",
   * "steps", "error"?, "hostKey"?}} (a failed test is an answer, not a failure).
   */
  public static final String SETS_DESTINATION_TEST = "b247.sets.destination.test";
  /**
   * Command: test a destination typed for a set not saved yet, with credentials given for this test
   * only. Body {@code {"destination": {"name", "url"}, "credentials"?, "caller"}}; replies as
   * {@link #SETS_DESTINATION_TEST} with {@code "testedAt"}. Fails VALIDATION (a bad field, named
   * {@code destination.url} ...), FORBIDDEN (a user's local folder outside their folders).
   */
  public static final String DESTINATIONS_TEST = "b247.sets.destinations.test";
  /**
   * Query: one folder of the agent's machine for the console's folder browser. Body {@code {"path"?,
   * "caller"}}; without a path replies the starting points ({@code home}, {@code shortcuts},
   * {@code entries}); with one, its entries ({@code name, path, kind, size, modified}). Fails FORBIDDEN
   * for a user's path outside their folders, NOT_FOUND, BAD_REQUEST, each naming the path.
   */
  public static final String SETS_FILES = "b247.sets.files";
  /**
   * Query: when a set is next backed up by its schedules, in its owner's time zone. Body {@code {"id"}};
   * replies {@code {"id", "nextRun": ms | null, "timeZone"}}.
   */
  public static final String SCHEDULER_NEXT_RUN = "b247.scheduler.next-run";
  /** Command: remove a destination's credentials. Body {@code {"id", "destination"}}; fails NOT_FOUND when none. */
  public static final String SETS_CREDENTIALS_DELETE = "b247.sets.credentials.delete";

  /**
   * Command: start a backup of a set. Body {@code {"id", "destinations"?: [names], "runRetention"?,
   * "trigger"?: "manual"|"schedule", "scheduleName"?, "stopAt"?: epoch ms, "stopAfterHours"?}}; a job still
   * running at {@code stopAt} (the jobs service's clock) is stopped like a cancel ("Interrupted", the log
   * says why). Replies {@code {"setId", "runId", "jobs": [{"id",
   * "destination"}]}} at once (the backup goes on); fails ALREADY_RUNNING while the set's backup runs.
   */
  public static final String JOBS_BACKUP_START = "b247.jobs.backup.start";
  /**
   * Command: Space Freeing Up (guide ch. 9.9.2): apply the retention policy now. Body {@code {"id"?,
   * "destinations"?: [names]}}; without {@code id} every set. Replies {@code {"runs": [{"setId", "runId",
   * "trigger", "jobs": [{"id", "destination"}]}], "skipped": [{"setId", "reason"}]}} once the reports exist
   * (trigger "space-freeing"); for one set fails ALREADY_RUNNING while it has a backup, space freeing or
   * restore running.
   */
  public static final String JOBS_SPACE_FREEING = "b247.jobs.space-freeing";
  /**
   * Command: a user confirms that a set's destinations are as they should be, after the agent saw an
   * older state, missing jobs, swapped blocks or a wrong clock there (TEST-MATRIX S5, R16) and blocked
   * retention. Body {@code {"id", "destinations"?: [names]}}. Replies {@code {"setId", "destinations":
   * [{"name", "newestJob", "cleared"}]}} ({@code cleared}: the reason that blocked it, or null).
   */
  public static final String JOBS_CONFIRM_STATE = "b247.jobs.destination-state.confirm";
  /**
   * Command: cancel a set's running backup. Body {@code {"id"}}; replies {@code {"setId", "runId",
   * "cancelling": true, "jobs": [{"id", "destination"}]}} (the reports end "Interrupted" within a second or
   * two); fails CONFLICT when none runs.
   */
  public static final String JOBS_BACKUP_CANCEL = "b247.jobs.backup.cancel";

  /**
   * Query: a set's restore points at one destination (its repository's jobs), newest first. Body
   * {@code {"id", "destination"}}; replies {@code {"setId", "destination", "items": [{"job", "time", "stats"}]}}.
   */
  public static final String JOBS_RESTORE_POINTS = "b247.jobs.restore.points";
  /**
   * Query: the direct children of a folder as of a job. Body {@code {"id", "destination", "job"?,
   * "path", "allVersions"?}}; replies {@code {"setId", "destination", "job", "path", "items"}}.
   */
  public static final String JOBS_RESTORE_TREE = "b247.jobs.restore.tree";
  /**
   * Query: the restore filter's search (guide ch. 13.3). Body {@code {"id", "destination", "job"?, "folder"?,
   * "subfolders"?, "kind"?: files|directories|both, "mode"?: contains|exact|starts-with|ends-with|glob, "pattern"?,
   * "matchCase"?, "page"?, "perPage"?}}; replies {@code {"setId", "destination", "job", "folder", ..., "page",
   * "perPage", "total", "pages", "items": [{"name", "folder", "path", "kind", "size", "mtime"}]}}.
   */
  public static final String JOBS_RESTORE_SEARCH = "b247.jobs.restore.search";
  /**
   * Command: start a restore of a set (see the API's RestoreRequest). Replies {@code {"setId",
   * "reportId", "runId", "job"}} once the report exists; fails ALREADY_RUNNING while the set's restore runs.
   */
  public static final String JOBS_RESTORE_START = "b247.jobs.restore.start";
  /**
   * Command: cancel a set's running restore. Body {@code {"id"}}; replies {@code {"setId", "reportId",
   * "cancelling": true}}: the file being written is dropped (never left under its name), the rest is not
   * restored and the report ends "Interrupted"; fails CONFLICT when none runs.
   */
  public static final String JOBS_RESTORE_CANCEL = "b247.jobs.restore.cancel";

  /**
   * Command: send a test email. Body {@code {"to"?: address}} (default: every contact); replies
   * {@code {"server", "sent": [addresses]}}; fails CONFLICT when mail is off, UNAVAILABLE with the SMTP error.
   */
  public static final String REPORTS_MAIL_TEST = "b247.reports.mail.test";

  /**
   * Query: who is calling. Body {@code {"bearer"?: token, "cookie"?: session token, "method", "csrf"?: the
   * X-CSRF-Token header, "asUser"?: login (honoured with the local token only)}}; replies {@code {"caller",
   * "session": {"kind": "local" | "session", "tokenHash"?}}}; fails UNAUTHORIZED, or FORBIDDEN (CSRF).
   */
  public static final String AUTH_AUTHENTICATE = "b247.auth.authenticate";
  /**
   * Prefix of the auth service's other operations, named after it, e.g. {@code b247.auth.login}:
   * <ul>
   * <li>login routes — {@code login}, {@code second-factor}, {@code sms-send}, {@code setup}, {@code setup-state},
   * {@code logout}: bodies as the routes' plus {@code "client": {"ip", "userAgent", "deviceCookie"}}; each replies
   * an {@code auth.AuthReply} ({@code {"status", "body", "cookies", "retryAfter"?}});</li>
   * <li>{@code session-alive} — {@code {"tokenHash"}}: replies {@code {"alive": true|false}} without counting as a
   * use of the session (asked by open event streams);</li>
   * <li>account routes — {@code me}; {@code users.list|get|create|update|delete|password|unlock|reset-2fa};
   * {@code profile.get|update|password|sessions|revoke-session}; {@code 2fa.*}: bodies carry {@code "caller"}
   * (and {@code "session"}) with the route's fields; replies are the route's JSON.</li>
   * </ul>
   */
  public static final String AUTH_PREFIX = "b247.auth.";
  /**
   * Query: who receives the emailed reports of a set owned by {@code ownerId} (null: the admins). Body
   * {@code {"ownerId"}}; replies {@code {"contacts": [{"name", "email"}], "timeZone"}}.
   */
  public static final String AUTH_CONTACTS = "b247.auth.contacts";
  /** Query: the time zone of each account that set one. Replies {@code {"<userId>": "Australia/Sydney", ...}}. */
  public static final String AUTH_TIME_ZONES = "b247.auth.time-zones";

  /** Query: liveness and readiness of this node. */
  public static final String SYSTEM_HEALTH = "b247.system.health";
  /** Query: the Information page (product version, JVM, threads, memory, OS). */
  public static final String SYSTEM_INFO = "b247.system.info";

  /** Event: the agent finished starting. */
  public static final String EVENT_AGENT_STARTED = "b247.events.agent-started";
  /**
   * Event: progress of a set's backup, at once, every 500 ms, and once more at the end with
   * {@code "done": true}. Body: the fields of every long job's progress ({@code jobs.Progress}: {@code
   * "kind": "backup", "setId", "ownerId", "runId", "status", "done", "files", "filesTotal", "bytes",
   * "bytesTotal", "bytesPerSecond", "etaSeconds", "percent", "currentFile", "destinations": [{"id", "name",
   * "status", "bytesUploaded", "bytesPerSecond", "stats"}], ...}}; see {@code jobs.BackupProgress}.
   */
  public static final String EVENT_JOB_PROGRESS = "b247.events.job-progress";
  /**
   * Event: progress of a set's restore, as {@link #EVENT_JOB_PROGRESS} ({@code "kind": "restore"}) with
   * {@code "reportId", "destination", "folders", "symlinks", "failed"}.
   */
  public static final String EVENT_RESTORE_PROGRESS = "b247.events.restore-progress";
  /**
   * Event: progress of a set's space freeing, as {@link #EVENT_JOB_PROGRESS} ({@code "kind":
   * "space-freeing"}) with {@code "step"}: what it is doing (no file or byte counts).
   */
  public static final String EVENT_SPACE_FREEING_PROGRESS = "b247.events.space-freeing-progress";
  /** Event: a backup set was created, updated, renamed or deleted. Body {@code {"id", "change"}}. */
  public static final String EVENT_SET_CHANGED = "b247.events.set-changed";
}
