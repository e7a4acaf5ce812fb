package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    subcommands = {SetCommand.ListSets.class, SetCommand.Show.class, SetCommand.Create.class,
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
      return new JsonObject(text);
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
      throw new AgentException(Failure.BAD_REQUEST, "cannot read " + file + ": " + e.getMessage());
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
      AgentApi api = AgentApi.of(home.resolve());
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
      System.out.printf(Locale.ROOT, "%-15s %-30s %-12s %-12s %s%n", "ID", "NAME", "DESTINATIONS", "SCHEDULES",
          "ENCRYPTION");
      for (Object o : all) {
        JsonObject s = (JsonObject) o;
        JsonObject enc = s.getJsonObject("encryption", new JsonObject());
        System.out.printf(Locale.ROOT, "%-15d %-30s %-12d %-12d %s%n", s.getLong("id"), s.getString("name"),
            s.getJsonArray("destinations", new JsonArray()).size(), s.getJsonArray("schedules", new JsonArray()).size(),
            enc.getBoolean("enabled", false) ? enc.getString("type") + " AES-" + enc.getInteger("keyBits") + "-"
                + enc.getString("mode", "").toUpperCase(Locale.ROOT) : "off");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a backup set's settings as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = SetRef.LABEL, description = SetRef.HELP)
    String set;

    @Override
    public Integer call() throws Exception {
      System.out.println(SetRef.resolve(AgentApi.of(home.resolve()), set).json().encodePrettily());
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a backup set from a JSON file and print its encryption key (shown only this once).")
  static final class Create implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--file", required = true, paramLabel = "SET.json", description = "The settings ('-': stdin).")
    Path file;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call(() -> {
        JsonObject set = AgentApi.of(home.resolve()).post("sets", readFile(file));
        System.out.println("created " + describe(set));
        String key = set.getString("encryptionKey");
        if (key != null) {
          System.out.println("encryption key (shown only now; write it down and keep it safe, restoring needs it):");
          System.out.println("  " + key);
        }
        return 0;
      });
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Replace a backup set's settings with those of a JSON file (encryption cannot change).")
  static final class Update implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = SetRef.LABEL, description = SetRef.HELP)
    String set;

    @Option(names = "--file", required = true, paramLabel = "SET.json", description = "The settings ('-': stdin).")
    Path file;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call(() -> {
        AgentApi api = AgentApi.of(home.resolve());
        SetRef ref = SetRef.resolve(api, set);
        System.out.println("updated " + describe(api.put(ref.path(), readFile(file))));
        return 0;
      });
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a backup set.")
  static final class Rename implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(index = "0", paramLabel = SetRef.LABEL, description = SetRef.HELP)
    String set;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new name (unique, ignoring case).")
    String name;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call(() -> {
        AgentApi api = AgentApi.of(home.resolve());
        SetRef ref = SetRef.resolve(api, set);
        System.out.println("renamed to " + describe(api.post(ref.path() + "/rename", new JsonObject().put("name", name))));
        return 0;
      });
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a backup set (its key is kept under keys/deleted/; backup data is not touched).")
  static final class Delete implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = SetRef.LABEL, description = SetRef.HELP)
    String set;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() throws Exception {
      AgentApi api = AgentApi.of(home.resolve());
      SetRef ref = SetRef.resolve(api, set);
      if (!yes && !Confirm.delete(ref.describe())) {
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
    HomeOption home;

    @Parameters(paramLabel = SetRef.LABEL, description = SetRef.HELP)
    String set;

    @Override
    public Integer call() throws Exception {
      AgentApi api = AgentApi.of(home.resolve());
      System.out.println(api.post(SetRef.resolve(api, set).path() + "/key/unmask", new JsonObject())
          .getString("encryptionKey"));
      return 0;
    }
  }
}
