package au.com.backup247.agent.sets;

import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.destination.Destinations;
import au.com.backup247.agent.destination.Probe;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test of a set's destination when it is saved ({@code POST /api/v1/sets/{id}/destinations/{name}/test}):
 * the guide's "Test" ({@link Probe}: connect, write, read back, list, delete a probe object in the
 * set's folder) with the credentials stored for the set. When an SFTP server's host key is not
 * known (no {@code host-key-fingerprint} stored, or the key is not the one stored), the answer
 * carries the key the server showed, so the user can compare it and trust it. Blocking: run it on
 * a worker thread.
 *
 * <p>A destination typed in the creation wizard, not saved yet ({@code POST /api/v1/destinations/test},
 * {@link #runUnsaved}), is tested the same way in its folder {@value #UNSAVED_FOLDER} (no set's
 * folder is named like it: those are set ids); the answer names it ({@code "testedAt"}). The probe
 * object is always deleted; for a local folder the emptied folders it made are removed too, for
 * SFTP and FTP that one empty folder stays (the stores delete objects, not folders).
 */
final class DestinationCheck {
  private static final Pattern HOST_KEY = Pattern.compile("host key (\\S+) (SHA256:[A-Za-z0-9+/]+)");
  private static final String NO_KEY = "SHA256:" + "A".repeat(43);

  private DestinationCheck() {
  }

  /**
   * {@code {"destination", "ok", "steps": [{"name", "ok", "millis", "detail"}], "error"?, "permanent"?,
   * "hostKey"?: {"type", "fingerprint", "host", "port"}}}.
   */
  static JsonObject run(long setId, String name, String url, Credentials credentials) {
    JsonObject out = new JsonObject().put("destination", name).put("url", url);
    DestinationUrl sub;
    try {
      sub = DestinationUrl.parse(url).resolve(Long.toString(setId));
    } catch (RuntimeException e) {
      return out.put("ok", false).put("error", e.getMessage()).put("permanent", true);
    }
    return probe(out, sub, credentials);
  }

  /** The folder of a destination where {@link #runUnsaved} tests. */
  static final String UNSAVED_FOLDER = "b247-test";

  /**
   * {@link #run} for a destination not saved yet: in its folder {@value #UNSAVED_FOLDER}, named in
   * the answer as {@code "testedAt"}; a local destination is left as it was found.
   */
  static JsonObject runUnsaved(String name, String url, Credentials credentials) {
    JsonObject out = new JsonObject().put("destination", name).put("url", url);
    DestinationUrl root;
    DestinationUrl sub;
    try {
      root = DestinationUrl.parse(url);
      sub = root.resolve(UNSAVED_FOLDER);
    } catch (RuntimeException e) {
      return out.put("ok", false).put("error", e.getMessage()).put("permanent", true);
    }
    out.put("testedAt", sub.toString());
    List<Path> made = new ArrayList<>();
    if (root.isLocal()) { // the folders the test may create, deepest first, to remove them afterwards
      for (Path p = sub.localPath().resolve(Probe.FOLDER); p != null && !Files.exists(p); p = p.getParent()) {
        made.add(p);
      }
    }
    try {
      probe(out, sub, credentials);
      JsonObject key = out.getJsonObject("hostKey");
      if (key != null) { // not the agent's advice for a set's stored credentials: nothing is stored yet
        String said = "the host key of " + key.getString("host") + ":" + key.getInteger("port") + " is not trusted yet: "
            + "compare its fingerprint " + key.getString("fingerprint") + " with the server's, then trust it "
            + "(test again with it as host-key-fingerprint)";
        out.put("error", said);
        for (Object o : out.getJsonArray("steps", new JsonArray())) {
          if (o instanceof JsonObject step && !step.getBoolean("ok", true)) {
            step.put("detail", said);
          }
        }
      }
      return out;
    } finally {
      for (Path p : made) {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException | RuntimeException e) {
          break; // not empty (something else was put there meanwhile): keep it and its parents
        }
      }
    }
  }

  private static JsonObject probe(JsonObject out, DestinationUrl sub, Credentials credentials) {
    JsonArray steps = new JsonArray();
    try (Store store = Destinations.openBare(sub, credentials)) {
      Probe.Report report = Probe.run(store, 1024, new SecureRandom());
      for (Probe.Step s : report.steps()) {
        steps.add(new JsonObject().put("name", s.name()).put("ok", s.ok()).put("millis", Math.round(s.millis()))
            .put("detail", s.detail()));
      }
      out.put("ok", report.ok()).put("steps", steps);
      report.failed().ifPresent(f -> out.put("error", f.name() + ": " + f.detail())
          .put("permanent", f.kind() == StoreException.Kind.PERMANENT));
    } catch (RuntimeException e) {
      out.put("ok", false).put("steps", steps).put("error", e.getMessage()).put("permanent", true);
    }
    if (!out.getBoolean("ok") && sub.scheme() == DestinationUrl.Scheme.SFTP
        && (String.valueOf(out.getString("error")).contains("host key")
            || credentials.hostKeyFingerprint().isEmpty() && String.valueOf(out.getString("error")).contains("no password"))) {
      JsonObject key = hostKey(sub, String.valueOf(out.getString("error")));
      if (key != null) {
        out.put("hostKey", key);
      }
    }
    return out;
  }

  /** The key the server shows: from the refusal, or by connecting with a fingerprint no key has. */
  private static JsonObject hostKey(DestinationUrl url, String error) {
    Matcher m = HOST_KEY.matcher(error);
    if (!m.find()) {
      SftpStore.Config probe = SftpStore.Config.of(url.host(), url.port(), url.user(), url.root()).withPassword("-")
          .withHostKeyFingerprint(NO_KEY);
      try (SftpStore store = new SftpStore(probe)) {
        store.exists("config");
        return null;
      } catch (RuntimeException e) {
        m = HOST_KEY.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
          return null;
        }
      }
    }
    return new JsonObject().put("type", m.group(1)).put("fingerprint", m.group(2)).put("host", url.host())
        .put("port", url.port());
  }
}
