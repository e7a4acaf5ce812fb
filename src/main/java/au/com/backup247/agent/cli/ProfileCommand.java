package au.com.backup247.agent.cli;

import au.com.backup247.agent.auth.QrCode;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.config.JsonErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 profile COMMAND --user LOGIN ...}: an account's own profile (guide ch. 9.1) through
 * {@code /api/v1/profile}: the local token acts as that account. Changes to the second factors ask
 * for the account's password (a file, as everywhere in the CLI).
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "An account's profile: general, contacts, time zone, language, password, two-factor authentication.",
    subcommands = {ProfileCommand.Show.class, ProfileCommand.Set.class, ProfileCommand.Contacts.class,
        ProfileCommand.Password.class, ProfileCommand.TwoFactor.class, ProfileCommand.Sessions.class,
        CommandLine.HelpCommand.class})
final class ProfileCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The account a profile command acts as. */
  static final class Who {
    @Mixin
    HomeOption home;

    @Option(names = "--user", required = true, paramLabel = "LOGIN", description = "The account.")
    String user;

    AgentApi api() {
      return AgentApi.of(home.resolve()).as(user);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the profile as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin
    Who who;

    @Override
    public Integer call() throws Exception {
      System.out.println(who.api().get("profile").encodePrettily());
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Change the display name, time zone (used by the account's schedules), language or "
          + "encryption recovery.")
  static final class Set implements Callable<Integer> {
    @Mixin
    Who who;

    @Mixin
    AccountSettings settings;

    @Option(names = "--encryption-recovery", paramLabel = "on|off",
        description = "Seal new sets' keys to the admin's recovery key (guide ch. 9.1.4).")
    String recovery;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("profile settings", () -> {
        JsonObject body = settings.putInto(new JsonObject());
        if (recovery != null) {
          body.put("encryptionRecovery", recovery.equals("on"));
        }
        JsonObject p = who.api().put("profile", body);
        System.out.println("profile of " + p.getString("login") + " updated");
        return 0;
      });
    }
  }

  @Command(name = "contacts", mixinStandardHelpOptions = true,
      description = "Print the contacts (who receives the emailed reports), or replace them with --file.")
  static final class Contacts implements Callable<Integer> {
    @Mixin
    Who who;

    @Option(names = "--file", paramLabel = "CONTACTS.json",
        description = "A JSON array of {name, email, address, company, website, phone1, phone2} ('-': stdin).")
    Path file;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("contacts", () -> {
        JsonObject p;
        if (file == null) {
          p = who.api().get("profile");
        } else {
          JsonArray list;
          try {
            list = new JsonArray(SetCommand.readText(file));
          } catch (DecodeException e) {
            throw new AgentException(Failure.BAD_REQUEST,
                file + " is not a JSON array of contacts: " + JsonErrors.at(e));
          } catch (RuntimeException e) {
            throw new AgentException(Failure.BAD_REQUEST,
                file + " is not a JSON array of contacts: " + e.getMessage());
          }
          p = who.api().put("profile", new JsonObject().put("contacts", list));
        }
        System.out.println(p.getJsonArray("contacts").encodePrettily());
        return 0;
      });
    }
  }

  @Command(name = "password", mixinStandardHelpOptions = true,
      description = "Change the password (the current one first); the account's other sessions end.")
  static final class Password implements Callable<Integer> {
    @Mixin
    Who who;

    @Option(names = "--current-file", required = true, paramLabel = "FILE", description = "The current password.")
    Path current;

    @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "The new password.")
    Path next;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("password", () -> {
        who.api().post("profile/password", new JsonObject().put("current", PasswordFile.read(current, "--current-file"))
            .put("password", PasswordFile.read(next, "--password-file")));
        System.out.println("password changed; other sessions ended");
        return 0;
      });
    }
  }

  @Command(name = "sessions", mixinStandardHelpOptions = true,
      description = "List the sessions and remembered devices, or end one with --revoke ID.")
  static final class Sessions implements Callable<Integer> {
    @Mixin
    Who who;

    @Option(names = "--revoke", paramLabel = "ID")
    String revoke;

    @Override
    public Integer call() throws Exception {
      if (revoke != null) {
        who.api().post("profile/sessions/" + revoke + "/revoke", new JsonObject());
        System.out.println("ended " + revoke);
        return 0;
      }
      for (Object o : who.api().get("profile/sessions").getJsonArray("items")) {
        JsonObject s = (JsonObject) o;
        System.out.printf("%-18s %-10s %-16s since %s  last %s  %s%n", s.getString("id"), s.getString("kind"),
            s.getString("ip"), Times.show(s.getLong("createdAt")),
            Times.show(s.getLong("lastSeen")), s.getString("userAgent", ""));
      }
      return 0;
    }
  }

  @Command(name = "2fa", mixinStandardHelpOptions = true,
      description = "Two-factor authentication: status (no option), add an authenticator app, turn on/off, remove one, "
          + "new recovery codes.")
  static final class TwoFactor implements Callable<Integer> {
    @Mixin
    Who who;

    @Option(names = "--add-app", paramLabel = "NAME", description = "Add an authenticator app: prints its QR code.")
    String addApp;

    @Option(names = "--code", paramLabel = "CODE",
        description = "The app's first code: with --add-app (else asked on a terminal) or --confirm.")
    String code;

    @Option(names = "--confirm", paramLabel = "ID", description = "Confirm an added authenticator with --code.")
    String confirm;

    @Option(names = "--remove", paramLabel = "ID", description = "Remove an authenticator.")
    String remove;

    @Option(names = "--on", description = "Turn 2FA on (needs a confirmed authenticator).")
    boolean on;

    @Option(names = "--off", description = "Turn 2FA off (the authenticators are kept).")
    boolean off;

    @Option(names = "--recovery-codes", description = "Make 10 new recovery codes (the old ones stop working).")
    boolean codes;

    @Option(names = "--password-file", paramLabel = "FILE", description = "The account's password (for changes).")
    Path password;

    @Override
    public Integer call() throws Exception {
      return SetCommand.call("two-factor settings", () -> {
        AgentApi api = who.api();
        String pw = addApp == null && remove == null && !on && !off && !codes ? null
            : PasswordFile.read(password == null ? Path.of("-") : password, "--password-file");
        JsonObject out;
        if (addApp != null) {
          JsonObject added = api.post("profile/2fa/totp", new JsonObject().put("name", addApp).put("password", pw));
          String id = added.getString("id");
          if (System.console() != null) {
            System.out.print(QrCode.terminal(added.getString("otpauthUri")));
          }
          System.out.println("authenticator " + id + " added; scan the QR code with the app, or enter this key: "
              + added.getString("secret"));
          String first = code != null ? code : System.console() != null ? ask("First code from the app: ") : null;
          if (first == null) {
            System.out.println("confirm it with: b247 profile 2fa --user " + who.user + " --confirm " + id
                + " --code CODE");
            return 0;
          }
          out = api.post("profile/2fa/authenticators/" + id + "/confirm", new JsonObject().put("code", first));
        } else if (confirm != null) {
          if (code == null) {
            throw new AgentException(Failure.BAD_REQUEST,
                "--confirm needs --code");
          }
          out = api.post("profile/2fa/authenticators/" + confirm + "/confirm", new JsonObject().put("code", code));
        } else if (remove != null) {
          out = api.post("profile/2fa/authenticators/" + remove + "/remove", new JsonObject().put("password", pw));
        } else if (on || off) {
          out = api.put("profile/2fa", new JsonObject().put("enabled", on).put("password", pw));
        } else if (codes) {
          out = api.post("profile/2fa/recovery-codes", new JsonObject().put("password", pw));
        } else {
          out = api.get("profile/2fa");
        }
        print(out);
        return 0;
      });
    }

    private static String ask(String prompt) {
      Console c = System.console();
      if (c == null) {
        throw new AgentException(Failure.BAD_REQUEST,
            "no terminal to ask for the first code; pass --code");
      }
      return c.readLine(prompt);
    }

    private static void print(JsonObject s) {
      if (s.containsKey("recoveryCodes")) {
        System.out.println("Recovery codes (each works once; shown only now, keep them safe):");
        s.getJsonArray("recoveryCodes").forEach(c -> System.out.println("  " + c));
      }
      if (s.containsKey("enabled")) {
        System.out.println("two-factor authentication: " + (s.getBoolean("enabled") ? "on" : "off")
            + "; recovery codes left: " + s.getValue("recoveryCodesLeft"));
        for (Object o : s.getJsonArray("authenticators", new JsonArray())) {
          JsonObject a = (JsonObject) o;
          System.out.println("  " + a.getString("id") + "  " + a.getString("type") + "  " + a.getString("name")
              + (a.getString("phone") == null ? "" : "  " + a.getString("phone"))
              + (a.getBoolean("confirmed", false) ? "" : "  (not confirmed)"));
        }
      }
    }
  }
}
