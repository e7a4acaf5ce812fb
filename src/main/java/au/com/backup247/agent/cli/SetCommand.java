package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import au.com.backup247.agent.config.JsonErrors;
import au.com.backup247.agent.fs.IoReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 set ...}: manage the running agent's backup sets through {@code /api/v1/sets}.
 * Invalid settings print one line per bad field and exit 2; a taken name or unknown id exits 1;
 * no running agent exits 3.
 */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Manage the running agent's backup sets.",
    subcommands = {SetCommand.ListSets.class, SetCommand.Show.class, SetCommand.Create.class, SetCommand.Template.class, SetCommand.Test.class,
        SetCommand.Update.class, SetCommand.Rename.class, SetCommand.Delete.class, SetCommand.Key.class,
        SetCredentialsCommand.class, CommandLine.HelpCommand.class})
final class SetCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs {@code body}; prints field errors one per line and returns the failure's exit code. */
  static int call(Callable<Integer> body) throws Exception {
    return call("invalid backup set settings", body);
  }

  /** {@link #call(Callable)} with {@code header} above the field errors. */
  static int call(String header, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (ValidationException v) {
      System.err.println("b247: " + header + ":");
      for (Object o : v.fields()) {
        JsonObject f = (JsonObject) o;
        System.err.println("  " + f.getString("field") + ": " + f.getString("message"));
      }
      return v.failure().exitCode();
    }
  }

  static JsonObject readFile(Path file) {
    String text = readText(file);
    try {
      return new JsonObject(SetDraft.stripComments(text));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new AgentException(Failure.BAD_REQUEST, JsonErrors.describe(file.toString(), e));
    } catch (RuntimeException e) {
      throw new AgentException(Failure.BAD_REQUEST, file + " is not a JSON object: " + e.getMessage());
    }
  }

  /** The text of {@code file} ({@code -}: standard input). */
  static String readText(Path file) {
    try {
      return file.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AgentException(Failure.BAD_REQUEST, "cannot read " + file + ": " + IoReason.of(e));
    }
  }

  static String describe(JsonObject set) {
    return "backup set \"" + set.getString("name") + "\" (id " + set.getLong("id") + ")";
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the backup sets.")
  static final class ListSets implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print the raw JSON items.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentHome h = home.resolve();
      AgentApi api = AgentApi.of(h);
      JsonArray all = new JsonArray();
      Long after = null;
      do {
        JsonObject page = api.get("sets?limit=1000" + (after == null ? "" : "&after=" + after));
        all.addAll(page.getJsonArray("items"));
        after = page.getLong("next");
      } while (after != null);
      if (json) {
        System.out.println(all.encodePrettily());
        return 0;
      }
      Instant now = Instant.now();
      ZoneId zone = SetSchedules.zone(h);
      System.out.printf(Locale.ROOT, "%-15s %-30s %-12s %-12s %s%n", "ID", "NAME", "DESTINATIONS", "SCHEDULES",
          "ENCRYPTION");
      for (Object o : all) {
        JsonObject s = (JsonObject) o;
        JsonObject enc = s.getJsonObject("encryption", new JsonObject());
        System.out.printf(Locale.ROOT, "%-15d %-30s %-12d %-12d %s%n", s.getLong("id"), s.getString("name"),
            s.getJsonArray("destinations", new JsonArray()).size(), s.getJsonArray("schedules", new JsonArray()).size(),
            enc.getBoolean("enabled", false) ? enc.getString("type") + " AES-" + enc.getInteger("keyBits") + "-"
                + enc.getString("mode", "").toUpperCase(Locale.ROOT) : "off");
        System.out.println("    " + SetSchedules.activity(api, s, now, zone));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a backup set's settings as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Override
    public Integer call() throws Exception {
      System.out.println(set.resolve(set.api()).json().encodePrettily());
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a backup set and print its encryption key (shown only this once): from a settings",
          "file (`b247 set template` prints a commented example), from --name, --source and --dest, or,",
          "without any of them on a terminal, by answering a few questions."})
  static final class Create implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--file", paramLabel = "SET.json", description = "The settings ('-': stdin); // comments allowed.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "The set's name (unique, ignoring case).")
    String name;

    @Option(names = "--source", paramLabel = "PATH", description = "A file or folder to back up (repeatable).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--dest", paramLabel = "URL",
        description = "Where to back up: a folder or a URL such as sftp://user@host/path (repeatable).")
    List<String> dests = new ArrayList<>();

    @Option(names = "--schedule", paramLabel = "WHEN", description = "When to back up: " + SetDraft.SCHEDULE_FORMS
        + " (default: none, backups run when you start them).")
    String schedule;

    @Option(names = "--keep-days", paramLabel = "N", description = "Keep old versions N days (1..365; default 7).")
    Integer keepDays;

    @Option(names = "--no-test", description = "Do not test the destinations (they are tested once the set is saved).")
    boolean noTest;

    @Override
    public Integer call() throws Exception {
      boolean flags = name != null || !sources.isEmpty() || !dests.isEmpty() || schedule != null || keepDays != null;
      JsonObject settings;
      if (file != null) {
        if (flags) {
          throw new AgentException(Failure.BAD_REQUEST, "give either --file or --name/--source/--dest, not both");
        }
        settings = readFile(file);
      } else if (flags) {
        if (name == null || sources.isEmpty() || dests.isEmpty()) {
          throw new AgentException(Failure.BAD_REQUEST, "a new set needs --name, at least one --source and at least "
              + "one --dest (or --file SET.json; `b247 set template` prints an example)");
        }
        settings = SetDraft.of(name, sources, dests, schedule, keepDays);
      } else if (System.console() != null) {
        settings = SetDraft.ask(System.console());
      } else {
        throw new AgentException(Failure.BAD_REQUEST, "say what to back up: b247 set create --name NAME --source "
            + "FOLDER --dest FOLDER-OR-URL [--schedule \"daily 21:00\"] [--keep-days N], or --file SET.json "
            + "(`b247 set template` prints an example)");
      }
      return SetCommand.call(() -> {
        AgentApi api = AgentApi.of(home.resolve());
        JsonObject set = api.post("sets", settings);
        System.out.println("created " + describe(set));
        System.out.println("  " + summary(set).replace("\n", "\n  "));
        String key = set.getString("encryptionKey");
        if (key != null) {
          System.out.println("encryption key (shown only now; write it down and keep it safe, restoring needs it):");
          System.out.println("  " + key);
        }
        if (!noTest && !tested(api, set)) {
          return 1;
        }
        System.out.println("back it up now with: b247 backup " + quoteArg(set.getString("name")) + " --wait");
        return 0;
      });
    }
  }

  /** Tests the saved set's destinations ({@link DestinationTests}); false, with what to do, when one fails. */
  static boolean tested(AgentApi api, JsonObject set) throws InterruptedException {
    if (DestinationTests.run(api, set, null, System.console())) {
      return true;
    }
    System.out.println("the set is saved, but a destination does not work yet: fix it as said above, then run "
        + "b247 set test " + quoteArg(set.getString("name")));
    return false;
  }

  /** The name as one shell word. */
  static String quoteArg(String name) {
    return name.matches("[A-Za-z0-9._@%+=:,/-]+") ? name : "'" + name.replace("'", "'\\''") + "'";
  }

  /** What a set backs up, where to and when, in a few lines. */
  static String summary(JsonObject set) {
    JsonObject src = set.getJsonObject("source", new JsonObject());
    List<String> what = new ArrayList<>();
    src.getJsonArray("shortcuts", new JsonArray()).forEach(o -> what.add(o + " (in " + src.getString("home") + ")"));
    src.getJsonArray("paths", new JsonArray()).forEach(o -> what.add(o.toString()));
    List<String> where = new ArrayList<>();
    set.getJsonArray("destinations", new JsonArray()).forEach(o -> where.add(((JsonObject) o).getString("name") + " "
        + ((JsonObject) o).getString("url")));
    List<String> when = new ArrayList<>();
    set.getJsonArray("schedules", new JsonArray()).forEach(o -> when.add(SetSchedules.describe((JsonObject) o)));
    JsonObject keep = set.getJsonObject("retention", new JsonObject());
    return "backs up " + String.join(", ", what) + "\nto " + String.join(", ", where)
        + "\n" + (when.isEmpty() ? "no schedule: backups run when you start them" : String.join("; ", when))
        + ("simple".equals(keep.getString("type")) ? "; keeps old versions " + (keep.containsKey("keepDays")
            ? keep.getInteger("keepDays") + " days" : "of the last " + keep.getInteger("keepJobs") + " backups") : "")
        + "\n" + links(set);
  }

  /** Which symbolic-link behaviour applies to a set (others.followLinks, on by default as in the guide). */
  static String links(JsonObject set) {
    return set.getJsonObject("others", new JsonObject()).getBoolean("followLinks", true)
        ? "symbolic links: followed (what they point to is backed up; others.followLinks false stores the links)"
        : "symbolic links: stored as links (others.followLinks is false)";
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Test a set's destinations (connect, write, read, list, delete a probe) with its credentials;",
          "on a terminal, asks for a missing password and whether to trust an unknown SSH host key."})
  static final class Test implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination.")
    String destination;

    @Override
    public Integer call() throws Exception {
      AgentApi api = set.api();
      SetRef ref = set.resolve(api);
      String only = destination == null ? null : ref.destinations().stream().filter(destination::equalsIgnoreCase)
          .findFirst().orElseThrow(() -> new AgentException(Failure.NOT_FOUND, ref.describe() + " has no destination "
              + "named \"" + destination + "\" (its destinations: " + String.join(", ", ref.destinations()) + ")"));
      return DestinationTests.run(api, ref.json(), only, System.console()) ? 0 : 1;
    }
  }

  @Command(name = "template", mixinStandardHelpOptions = true,
      description = "Print a complete, commented example of a set's settings for `b247 set create --file`.")
  static final class Template implements Callable<Integer> {
    @Mixin
    HomeOption home; // taken like every set command's, not needed: the template does not ask the agent

    @Override
    public Integer call() {
      System.out.print(SetDraft.template(System.getProperty("user.home")));
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Replace a backup set's settings with those of a JSON file (encryption cannot change).")
  static final class Update implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Option(names = "--file", required = true, paramLabel = "SET.json", description = "The settings ('-': stdin).")
    Path file;

    @Option(names = "--no-test", description = "Do not test the destinations (they are tested once the set is saved).")
    boolean noTest;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call(() -> {
        AgentApi api = set.api();
        SetRef ref = set.resolve(api);
        JsonObject updated = api.put(ref.path(), readFile(file));
        System.out.println("updated " + describe(updated));
        return noTest || tested(api, updated) ? 0 : 1;
      });
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a backup set.")
  static final class Rename implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new name (unique, ignoring case).")
    String name;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call(() -> {
        AgentApi api = set.api();
        SetRef ref = set.resolve(api);
        System.out.println("renamed to " + describe(api.post(ref.path() + "/rename", new JsonObject().put("name", name))));
        return 0;
      });
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a backup set (its key is kept under keys/deleted/; backup data is not touched).")
  static final class Delete implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Mixin
    Confirm confirm;

    @Override
    public Integer call() throws Exception {
      AgentApi api = set.api();
      SetRef ref = set.resolve(api);
      if (!confirm.delete(ref.describe())) {
        return 1;
      }
      JsonObject r = api.delete(ref.path());
      System.out.println("deleted " + ref.describe()
          + (r.getString("keyKeptAt") == null ? "" : "; its key is kept in " + r.getString("keyKeptAt")));
      return 0;
    }
  }

  @Command(name = "key", mixinStandardHelpOptions = true, description = "Unmask a backup set's encryption key.")
  static final class Key implements Callable<Integer> {
    @Mixin
    SetArg set;

    @Override
    public Integer call() throws Exception {
      AgentApi api = set.api();
      System.out.println(api.post(set.resolve(api).path() + "/key/unmask", new JsonObject())
          .getString("encryptionKey"));
      return 0;
    }
  }
}
