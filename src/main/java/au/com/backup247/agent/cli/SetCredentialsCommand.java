package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 set credentials SET [--destination NAME] (--file F | --delete | --password |
 * --trust-host-key FP) [--no-test]}: stores (or removes) a destination's credentials for one set
 * ({@code --password} and {@code --trust-host-key} add to what is stored) and tests it, through
 * {@code PUT|DELETE /api/v1/sets/{id}/destinations/{name}/credentials}. The file is a credentials
 * file as {@code repo --credentials} reads it (0600, known keys only); its {@code identity-file}
 * is read here and sent as the key itself ({@code identity-key}), since the agent accepts no file
 * names of this machine.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
    description = "Store (or --delete) a destination's credentials for one backup set; they are never shown again.")
final class SetCredentialsCommand implements Callable<Integer> {
  @Mixin
  SetArg set;

  @Option(names = "--destination", paramLabel = "NAME",
      description = "The destination's name (may be left out when the set has only one).")
  String destination;

  @ArgGroup(multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--file", paramLabel = "FILE",
        description = "Credentials file (Java properties, chmod 600): password, identity-file, identity-passphrase, "
            + "host-key-fingerprint, access-key, secret-key, connection-string, account-key, certificate-fingerprint, "
            + "proxy-username, proxy-password.")
    Path file;

    @Option(names = "--delete", description = "Remove the stored credentials.")
    boolean delete;

    @Option(names = "--password", description = {"Ask for the password (on a terminal; else read one line of standard",
        "input) and store it with what is stored already."})
    boolean password;

    @Option(names = "--trust-host-key", paramLabel = "SHA256:...", description = {"Trust this SSH host key (as the",
        "destination's test or ssh-keygen -lf shows it), kept with what is stored already."})
    String trustHostKey;
  }

  @Option(names = "--no-test", description = "Do not test the destination once the credentials are stored.")
  boolean noTest;

  @Override
  public Integer call() throws Exception {
    AgentApi api = set.api();
    SetRef ref = set.resolve(api);
    String destination = ref.destination(this.destination);
    String path = DestinationTests.path(ref.json(), destination) + "/credentials";
    if (what.delete) {
      JsonObject r = api.delete(path);
      System.out.println("removed the credentials of destination \"" + r.getString("destination") + "\" of "
          + ref.describe());
      return 0;
    }
    JsonObject body;
    String put = path;
    if (what.file != null) {
      body = read(what.file);
    } else {
      put = path + "?merge=true";
      body = what.trustHostKey != null ? new JsonObject().put("host-key-fingerprint", what.trustHostKey)
          : new JsonObject().put("password", password(destination));
    }
    String target = put;
    return SetCommand.call("invalid credentials for destination \"" + destination + "\" of " + ref.describe(), () -> {
      JsonObject r = api.put(target, body);
      System.out.println("stored the " + (what.trustHostKey != null ? "host key" : what.password ? "password"
          : "credentials") + " of destination \"" + r.getString("destination") + "\" of " + ref.describe());
      return noTest || DestinationTests.run(api, ref.json(), r.getString("destination"), System.console()) ? 0 : 1;
    });
  }

  /** The password typed at a prompt (not shown) or, without a terminal, the first line of standard input. */
  private static String password(String destination) throws IOException {
    java.io.Console console = System.console();
    String pw;
    if (console != null) {
      char[] typed = console.readPassword("Password of destination %s: ", destination);
      pw = typed == null ? null : new String(typed);
    } else {
      pw = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (pw == null || pw.isEmpty()) {
      throw new AgentException(Failure.BAD_REQUEST, "no password given for destination \"" + destination + "\"");
    }
    return pw;
  }

  /** The file's keys as the API takes them: identity-file becomes identity-key (the key's text). */
  static JsonObject read(Path file) {
    Map<String, String> values;
    Credentials loaded;
    try {
      values = Credentials.readFile(file);
      loaded = Credentials.load(file, Map.of(), Path.of(System.getProperty("user.home")));
    } catch (DestinationException e) {
      throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
    }
    if (values.containsKey("known-hosts")) {
      throw new AgentException(Failure.BAD_REQUEST, "credentials file " + file + ": known-hosts names a file, which "
          + "the agent does not take; give host-key-fingerprint (SHA256:..., as ssh-keygen -lf prints it) instead");
    }
    JsonObject body = new JsonObject();
    values.forEach(body::put);
    if (body.remove("identity-file") != null) {
      Path key = loaded.identityFile().orElseThrow();
      try {
        body.put("identity-key", Files.readString(key, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AgentException(Failure.BAD_REQUEST, "credentials file " + file + ": identity-file " + key
            + " cannot be read: " + au.com.backup247.agent.fs.IoReason.of(e));
      }
    }
    return body;
  }
}
