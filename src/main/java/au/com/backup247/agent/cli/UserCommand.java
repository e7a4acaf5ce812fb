package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
 * {@code b247 user ...}: the running agent's accounts ({@code /api/v1/users}), as the local admin.
 * Passwords come from a file ({@code --password-file}, owner-only) or standard input, never from
 * the command line. Invalid input prints one line per bad field and exits 2.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the running agent's accounts.",
    subcommands = {UserCommand.ListUsers.class, UserCommand.Show.class, UserCommand.Create.class,
        UserCommand.Update.class, UserCommand.Passwd.class, UserCommand.Delete.class, UserCommand.Unlock.class,
        UserCommand.ResetTwoFactor.class, CommandLine.HelpCommand.class})
final class UserCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code [--home DIR] LOGIN}: the running agent and the account a command acts on. */
  static final class Account {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "LOGIN")
    String login;

    AgentApi api() {
      return AgentApi.of(home.resolve());
    }

    /** The account's API path, {@code users/LOGIN}. */
    String path() {
      return "users/" + login;
    }

    /** {@code POST users/LOGIN/ACTION} with nothing to send ({@code unlock}, {@code reset-2fa}). */
    void act(String action) throws InterruptedException {
      api().post(path() + "/" + action, new JsonObject());
    }
  }

  static String describe(JsonObject u) {
    return u.getString("role") + " " + u.getString("login") + (u.getString("displayName").equals(u.getString("login"))
        ? "" : " (" + u.getString("displayName") + ")");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print the raw JSON items.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      JsonArray items = AgentApi.of(home.resolve()).get("users").getJsonArray("items");
      if (json) {
        System.out.println(items.encodePrettily());
        return 0;
      }
      System.out.printf(Locale.ROOT, "%-24s %-6s %-4s %-24s %s%n", "LOGIN", "ROLE", "2FA", "LAST LOGIN", "FOLDERS");
      for (Object o : items) {
        JsonObject u = (JsonObject) o;
        JsonObject last = u.getJsonObject("lastLogin");
        System.out.printf(Locale.ROOT, "%-24s %-6s %-4s %-24s %s%n", u.getString("login"), u.getString("role"),
            u.getBoolean("twoFactor") ? "on" : "off", last == null ? "never"
                : Times.show(last.getLong("time")),
            String.join(", ", u.getJsonArray("folders").stream().map(String::valueOf).toList()));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print an account as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin
    Account account;

    @Override
    public Integer call() throws Exception {
      System.out.println(account.api().get(account.path()).encodePrettily());
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an account (the first admin of a new agent, or any other).")
  static final class Create implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "LOGIN", description = "Letters, digits, @, - and _ (unique, ignoring case).")
    String login;

    @Option(names = "--admin", description = "An admin (default: a user).")
    boolean admin;

    @Option(names = "--password-file", required = true, paramLabel = "FILE",
        description = "First line: the password (chmod 600; '-': standard input).")
    Path passwordFile;

    @Option(names = "--display-name", paramLabel = "NAME")
    String displayName;

    @Option(names = "--folder", paramLabel = "DIR",
        description = "A folder the user may back up and restore (repeatable; default /home/LOGIN if it exists).")
    List<String> folders = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("account settings", () -> {
        JsonObject body = new JsonObject().put("login", login).put("role", admin ? "admin" : "user")
            .put("password", PasswordFile.read(passwordFile, "--password-file"));
        if (displayName != null) {
          body.put("displayName", displayName);
        }
        if (!folders.isEmpty()) {
          body.put("folders", new JsonArray(new ArrayList<Object>(folders)));
        }
        System.out.println("created " + describe(AgentApi.of(home.resolve()).post("users", body)));
        return 0;
      });
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change an account's role, display name, folders, time zone or language.")
  static final class Update implements Callable<Integer> {
    @Mixin
    Account account;

    @Option(names = "--role", paramLabel = "admin|user")
    String role;

    @Mixin
    AccountSettings settings;

    @Option(names = "--folder", paramLabel = "DIR", description = "Replaces the folders (repeatable).")
    List<String> folders = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("account settings", () -> {
        JsonObject body = new JsonObject();
        if (role != null) {
          body.put("role", role);
        }
        settings.putInto(body);
        if (!folders.isEmpty()) {
          body.put("folders", new JsonArray(new ArrayList<Object>(folders)));
        }
        System.out.println("updated " + describe(account.api().put(account.path(), body)));
        return 0;
      });
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Set an account's password; its sessions end.")
  static final class Passwd implements Callable<Integer> {
    @Mixin
    Account account;

    @Option(names = "--password-file", required = true, paramLabel = "FILE",
        description = "First line: the new password (chmod 600; '-': standard input).")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("account settings", () -> {
        account.api().post(account.path() + "/password", new JsonObject()
            .put("password", PasswordFile.read(passwordFile, "--password-file")));
        System.out.println("password of " + account.login + " changed; its sessions ended");
        return 0;
      });
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete an account; its backup sets go to the admins.")
  static final class Delete implements Callable<Integer> {
    @Mixin
    Account account;

    @Mixin
    Confirm confirm;

    @Override
    public Integer call() throws Exception {
      AgentApi api = account.api();
      JsonObject u = api.get(account.path());
      if (!confirm.delete(describe(u))) {
        return 1;
      }
      api.delete(account.path());
      System.out.println("deleted " + describe(u));
      return 0;
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true,
      description = "Forget an account's failed logins, so it may log in at once.")
  static final class Unlock implements Callable<Integer> {
    @Mixin
    Account account;

    @Override
    public Integer call() throws Exception {
      account.act("unlock");
      System.out.println("unlocked " + account.login);
      return 0;
    }
  }

  @Command(name = "reset-2fa", mixinStandardHelpOptions = true,
      description = "Turn an account's two-factor authentication off and remove its authenticators (a lost phone).")
  static final class ResetTwoFactor implements Callable<Integer> {
    @Mixin
    Account account;

    @Override
    public Integer call() throws Exception {
      account.act("reset-2fa");
      System.out.println("two-factor authentication of " + account.login + " is off and its authenticators removed; it logs"
          + " in with its password and can enrol again");
      return 0;
    }
  }
}
