package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup set's settings document made from the command line's words rather than a file: the
 * flags of {@code b247 set create} ({@code --name docs --source ~/Documents --dest /mnt/usb/b247
 * --schedule "daily 21:00" --keep-days 30}), the commented example of {@code b247 set template},
 * and the comments such a document may keep ({@code //} to the end of the line, outside strings).
 */
final class SetDraft {
  /** The forms {@code --schedule} takes, for help and errors. */
  static final String SCHEDULE_FORMS = "\"daily 21:00\", \"daily every 1h\", \"weekly mon,fri 21:00\", "
      + "\"weekly sat every 30m\", \"monthly 1 21:00\", \"monthly last 21:00\" or \"none\"";
  private static final Pattern TIME = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");
  private static final Pattern EVERY = Pattern.compile("every\\s+([0-9]{1,2}[mh])");

  private SetDraft() {
  }

  /**
   * The settings of a set named {@code name} backing up {@code sources} (relative paths are taken
   * from the current folder) to {@code dests} (folders or URLs), on {@code schedule} (null: none)
   * and keeping {@code keepDays} days of versions (null: the agent's default).
   */
  static JsonObject of(String name, List<String> sources, List<String> dests, String schedule, Integer keepDays) {
    JsonArray paths = new JsonArray();
    sources.forEach(s -> paths.add(Path.of(expandHome(s)).toAbsolutePath().normalize().toString()));
    JsonArray destinations = new JsonArray();
    for (String d : dests) {
      String url = d.contains("://") ? d : "file://" + Path.of(expandHome(d)).toAbsolutePath().normalize();
      destinations.add(new JsonObject().put("name", destinationName(url, destinations)).put("url", url));
    }
    JsonObject set = new JsonObject().put("name", name).put("source", new JsonObject().put("paths", paths))
        .put("destinations", destinations);
    JsonObject s = schedule(schedule);
    set.put("schedules", s == null ? new JsonArray() : new JsonArray().add(s));
    if (keepDays != null) {
      set.put("retention", new JsonObject().put("type", "simple").put("keepDays", keepDays));
    }
    return set;
  }

  /** The same settings from a few questions on the terminal (an empty answer takes the default shown). */
  static JsonObject ask(Console console) {
    console.printf("A new backup set (Ctrl-C to stop; `b247 set template` shows every setting).%n");
    String name = answer(console, "Name of the set", "Documents");
    List<String> sources = new ArrayList<>();
    sources.add(answer(console, "Folder or file to back up", System.getProperty("user.home") + "/Documents"));
    for (String more; !(more = answer(console, "Another folder or file (empty: no more)", "")).isEmpty(); ) {
      sources.add(more);
    }
    List<String> dests = new ArrayList<>();
    dests.add(answer(console, "Where to back up: a folder (a USB disk, a NAS mount) or sftp://user@host/path", null));
    for (String more; !(more = answer(console, "Another destination (empty: no more)", "")).isEmpty(); ) {
      dests.add(more);
    }
    while (true) {
      String when = answer(console, "When to back up (" + SCHEDULE_FORMS + ")", "daily 21:00");
      String keep = answer(console, "Keep old versions how many days", "30");
      try {
        return of(name, sources, dests, when, Integer.parseInt(keep.strip()));
      } catch (AgentException | NumberFormatException e) {
        console.printf("%s%n", e instanceof AgentException ? e.getMessage() : "the days are a whole number, 1..365");
      }
    }
  }

  private static String answer(Console console, String question, String byDefault) {
    while (true) {
      String line = console.readLine("%s%s: ", question, byDefault == null || byDefault.isEmpty() ? ""
          : " [" + byDefault + "]");
      if (line == null) {
        throw new AgentException(Failure.BAD_REQUEST, "set create stopped: no answer to \"" + question + "\"");
      }
      if (!line.isBlank()) {
        return line.strip();
      }
      if (byDefault != null) {
        return byDefault;
      }
    }
  }

  private static String expandHome(String path) {
    return path.equals("~") || path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  /** {@code Local-1}, {@code SFTP-1}, ... : the first free name for the URL's kind of destination. */
  static String destinationName(String url, JsonArray taken) {
    String scheme = url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
    String kind = switch (scheme) {
      case "file" -> "Local";
      case "azure" -> "Azure";
      default -> scheme.toUpperCase(Locale.ROOT);
    };
    for (int n = 1; ; n++) {
      String candidate = kind + "-" + n;
      if (taken.stream().noneMatch(o -> candidate.equalsIgnoreCase(((JsonObject) o).getString("name")))) {
        return candidate;
      }
    }
  }

  /** One schedule from {@code text} (see {@link #SCHEDULE_FORMS}); null for none. */
  static JsonObject schedule(String text) {
    if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
      return null;
    }
    String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    String[] words = t.split(" ", 2);
    String type = words[0];
    String rest = words.length > 1 ? words[1] : "";
    if (TIME.matcher(type).matches() || type.equals("every")) {
      type = "daily";
      rest = t;
    }
    JsonObject s = new JsonObject();
    switch (type) {
      case "daily" -> s.put("name", "Daily-1").put("type", "daily");
      case "weekly" -> {
        String[] dayAndStart = rest.split(" ", 2);
        JsonArray days = new JsonArray();
        for (String d : dayAndStart[0].split(",")) {
          days.add(d.strip());
        }
        s.put("name", "Weekly-1").put("type", "weekly").put("weekdays", days);
        rest = dayAndStart.length > 1 ? dayAndStart[1] : "";
      }
      case "monthly" -> {
        String[] dayAndStart = rest.split(" ", 2);
        Object day = dayAndStart[0].equals("last") ? "last" : parseDay(dayAndStart[0], text);
        s.put("name", "Monthly-1").put("type", "monthly").put("monthDay", new JsonObject().put("day", day));
        rest = dayAndStart.length > 1 ? dayAndStart[1] : "";
      }
      default -> throw badSchedule(text);
    }
    Matcher at = TIME.matcher(rest.strip());
    Matcher every = EVERY.matcher(rest.strip());
    if (at.matches()) {
      s.put("at", String.format(Locale.ROOT, "%02d:%s", Integer.parseInt(at.group(1)), at.group(2)));
    } else if (every.matches()) {
      s.put("every", every.group(1));
    } else {
      throw badSchedule(text);
    }
    return s;
  }

  private static int parseDay(String word, String text) {
    try {
      return Integer.parseInt(word);
    } catch (NumberFormatException e) {
      throw badSchedule(text);
    }
  }

  private static AgentException badSchedule(String text) {
    return new AgentException(Failure.BAD_REQUEST, "--schedule \"" + text + "\": write it as " + SCHEDULE_FORMS);
  }

  /**
   * {@code text} with its {@code //} comments (to the end of the line, outside strings) replaced
   * by spaces, so that the line and column of a later parse error are those of the file.
   */
  static String stripComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
        while (i < text.length() && text.charAt(i) != '\n') {
          out.append(text.charAt(i) == '\t' ? '\t' : ' ');
          i++;
        }
        if (i < text.length()) {
          out.append('\n');
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A complete example document, every setting with a comment; {@code set create --file} takes it
   * as it is (comments and all) and makes a set backing up {@code home}'s Documents folder to
   * {@code home}/b247-backups.
   */
  static String template(String home) {
    return String.join("\n",
        "// A backup set for `b247 set create --file THIS-FILE` (or `b247 set update SET --file THIS-FILE`).",
        "// Lines starting with // are comments. Every setting is shown with its default unless said otherwise;",
        "// leave out any you do not need. `b247 set show SET` prints a stored set in the same form.",
        "{",
        "  // The set's name: unique (ignoring case); commands take it instead of the id (`b247 backup Documents`).",
        "  \"name\": \"Documents\",",
        "",
        "  \"source\": {",
        "    // The folder shortcuts are taken from (default: the agent user's home).",
        "    \"home\": " + quote(home) + ",",
        "    // Folders of home: home, desktop, documents, downloads, pictures, music, videos, movies.",
        "    \"shortcuts\": [\"documents\"],",
        "    // Absolute files and folders, anywhere (at least one shortcut or path is needed).",
        "    \"paths\": [],",
        "    // Absolute paths inside the selection to leave out, with everything below them.",
        "    \"excludedPaths\": [],",
        "    // Applied in order, the first that decides wins. match: contains | starts-with | ends-with | exact |",
        "    // regex; apply: files | folders | both; \"top\": only below this folder (default: everywhere).",
        "    \"filters\": [",
        "      {\"name\": \"No temporary files\", \"action\": \"exclude\", \"match\": \"ends-with\",",
        "       \"patterns\": [\".tmp\", \"~\"], \"apply\": \"files\"}",
        "    ]",
        "  },",
        "",
        "  // false pauses every schedule of the set.",
        "  \"scheduleEnabled\": true,",
        "  // type: daily | weekly | monthly | custom; start \"at\": \"HH:MM\" (the owner's time zone) or, daily and",
        "  // weekly only, \"every\": \"1m\"..\"12m\", \"30m\", \"1h\"..\"12h\". weekly: \"weekdays\"; monthly: \"monthDay\"",
        "  // {\"day\": 1..31 | \"last\"} or {\"ordinal\": \"first\"..\"fourth\" | \"last\", \"weekday\": \"friday\"};",
        "  // custom: \"date\": \"2026-12-31\". stopAfterHours (1..24, \"at\" only) stops a backup still running then.",
        "  \"schedules\": [",
        "    {\"name\": \"Daily-1\", \"enabled\": true, \"type\": \"daily\", \"at\": \"21:00\",",
        "     \"runRetentionAfterBackup\": false},",
        "    {\"name\": \"Monthly-1\", \"enabled\": false, \"type\": \"monthly\", \"monthDay\": {\"day\": \"last\"},",
        "     \"at\": \"23:00\", \"stopAfterHours\": 6}",
        "  ],",
        "",
        "  // Where the backups go (1 to 16): a folder or file:// URL, sftp://user@host/path, ftp://, ftps://,",
        "  // s3://bucket/prefix, azure://account/container/prefix. Passwords and keys never go here: store them",
        "  // with `b247 set credentials SET --destination NAME`.",
        "  \"destinations\": [",
        "    {\"name\": \"Local-1\", \"url\": " + quote("file://" + home + "/b247-backups") + "}",
        "  ],",
        "  // sequential: one destination after the other; concurrent: up to maxConcurrentDestinations at once.",
        "  \"backupMode\": \"sequential\",",
        "  \"maxConcurrentDestinations\": 2,",
        "",
        "  // scope: all (blocks shared by every file) | path; blockSize: \"auto\" or bytes 4096..268435456.",
        "  \"deduplication\": {\"enabled\": true, \"scope\": \"all\", \"blockSize\": \"auto\", \"migrateData\": false},",
        "",
        "  // How long old versions are kept: {\"type\": \"simple\", \"keepDays\": N} or \"keepJobs\": N (1..365), or",
        "  // {\"type\": \"advanced\", \"policies\": [{\"name\": \"Daily-1\", \"type\": \"daily\", \"days\": 7},",
        "  //   {\"name\": \"Weekly-1\", \"type\": \"weekly\", \"weekdays\": [\"saturday\"], \"weeks\": 4}, ...]}.",
        "  \"retention\": {\"type\": \"simple\", \"keepDays\": 30},",
        "",
        "  // Commands run before and after each backup, e.g.",
        "  // {\"name\": \"Dump database\", \"command\": \"pg_dump -f /srv/dump.sql app\", \"workingDirectory\": \"/srv\",",
        "  //  \"timeoutSeconds\": 3600}",
        "  \"preBackupCommands\": [],",
        "  \"postBackupCommands\": [],",
        "",
        "  // Bandwidth limits (off here): mode independent (each destination of each job) | shared (all jobs",
        "  // of the set); each limit applies always or within its period (days, from, to; local time).",
        "  \"bandwidth\": {\"enabled\": false, \"mode\": \"independent\", \"limits\": [",
        "    {\"name\": \"Office hours\", \"rate\": \"10Mibit/s\",",
        "     \"period\": {\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], \"from\": \"09:00\", \"to\": \"17:00\"}}",
        "  ]},",
        "",
        "  // followLinks: back up what symbolic links point to (true) or the links themselves (false);",
        "  // compression: none | normal | fast | fast-local; tempDirectory: default the agent's temp/.",
        "  \"others\": {\"removeTempAfterBackup\": true, \"followLinks\": true, \"compression\": \"fast-local\"},",
        "",
        "  // Fixed when the set is created. type default: the agent makes a key and shows it once (write it",
        "  // down: restoring needs it); password or custom: give \"key\" (8..1024 characters). mode: gcm | cbc.",
        "  \"encryption\": {\"enabled\": true, \"type\": \"default\", \"algorithm\": \"AES\", \"keyBits\": 256, \"mode\": \"gcm\"}",
        "}",
        "");
  }

  private static String quote(String s) {
    return new JsonArray().add(s).encode().replaceAll("^\\[|\\]$", "");
  }
}
