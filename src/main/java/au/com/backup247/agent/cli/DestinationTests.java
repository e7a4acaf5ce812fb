package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.util.Locale;

/**
 * The test of a set's destinations when the set is saved ({@code set create}, {@code set update},
 * {@code set credentials}, {@code set test}), through {@code POST .../destinations/{name}/test}.
 * On a terminal what a question can fix is asked for: a missing or refused password, and an
 * unknown SSH host key (its fingerprint is shown and the user says whether to trust it); the
 * answers are stored with the set's credentials and the destination is tested again. Without a
 * terminal the failure is printed with the command that fixes it.
 */
final class DestinationTests {
  private DestinationTests() {
  }

  /** Tests each destination of {@code set} (or only {@code only}); true when all work. */
  static boolean run(AgentApi api, JsonObject set, String only, Console console) throws InterruptedException {
    boolean all = true;
    for (Object o : set.getJsonArray("destinations", new JsonArray())) {
      String name = ((JsonObject) o).getString("name");
      if (only == null || only.equalsIgnoreCase(name)) {
        all &= one(api, set, name, console);
      }
    }
    return all;
  }

  /** The API path of the set's destination {@code sets/ID/destinations/NAME}, to append sub-resources to. */
  static String path(JsonObject set, String destination) {
    return "sets/" + set.getLong("id") + "/destinations/" + AgentApi.query(destination).replace("+", "%20");
  }

  private static boolean one(AgentApi api, JsonObject set, String name, Console console) throws InterruptedException {
    String fix = "b247 set credentials " + SetCommand.quoteArg(set.getString("name")) + " --destination "
        + SetCommand.quoteArg(name);
    boolean askedPassword = false;
    boolean askedKey = false;
    while (true) {
      JsonObject r = api.post(path(set, name) + "/test", new JsonObject());
      if (r.getBoolean("ok", false)) {
        long ms = r.getJsonArray("steps", new JsonArray()).stream().mapToLong(s -> ((JsonObject) s).getLong("millis", 0L))
            .sum();
        System.out.println("destination " + name + ": tested, it works (connect, write, read, list, delete: " + ms
            + " ms)");
        return true;
      }
      String error = r.getString("error", "the test failed");
      JsonObject key = r.getJsonObject("hostKey");
      boolean noLogin = error.contains("no password") || error.contains("authentication failed");
      System.out.println("destination " + name + ": the test failed: " + error);
      if (noLogin && !askedPassword) {
        if (console != null) {
          askedPassword = true;
          char[] pw = console.readPassword("Password of %s (empty: skip): ", r.getString("url", name));
          if (pw != null && pw.length > 0) {
            store(api, set, name, new JsonObject().put("password", new String(pw)));
            continue;
          }
        } else {
          System.out.println("  store its password: " + fix + " --password   (or --file CREDENTIALS with a key)");
        }
      }
      if (key != null && !askedKey && (!noLogin || console == null)) {
        System.out.println("  the server " + key.getString("host") + ":" + key.getInteger("port") + " shows the host key "
            + key.getString("type") + " " + key.getString("fingerprint") + ", which is not known");
        if (console != null) {
          askedKey = true;
          String answer = console.readLine("Is this the server's key (check with ssh-keygen -lf on the server)? "
              + "Trust it [y/N] ");
          if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
            store(api, set, name, new JsonObject().put("host-key-fingerprint", key.getString("fingerprint")));
            continue;
          }
        } else {
          System.out.println("  once it is the server's key (ssh-keygen -lf on the server shows it), trust it: " + fix
              + " --trust-host-key " + key.getString("fingerprint"));
        }
      }
      return false;
    }
  }

  private static void store(AgentApi api, JsonObject set, String name, JsonObject values) throws InterruptedException {
    api.put(path(set, name) + "/credentials?merge=true", values);
    System.out.println("  stored with the credentials of destination " + name);
  }
}
