package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One folder of the agent's machine, for choosing a set's sources (the guide's "Advanced Backup
 * Source", ch. 10 step 5): what the console's folder browser shows, one folder at a time.
 *
 * <pre>
 * no path  {"home": "/home/alice", "shortcuts": [{"shortcut": "documents", "path": ..., "exists": true}],
 *           "entries": [{"name": "/", "path": "/", "kind": "folder"}, ...]}   starting points
 * path     {"path": "/home/alice", "entries": [{"name", "path", "kind": folder|file|link|other,
 *           "size", "modified" (ms), "target" (links)}], "truncated": false}   folders first, by name
 * </pre>
 *
 * <p>An admin sees the whole machine (starting at {@code /} and the agent user's home); a user only
 * their folders, checked as {@link SetRights#outside} checks a source: as written and as the real
 * path it leads to, so a link out of the folders is refused. Entries are read without following
 * links (a link is shown as a link, with its target). The path must be absolute without {@code .}
 * or {@code ..} parts; refusals name the path.
 */
final class FolderListing {
  /** At most this many entries of one folder are answered ({@code truncated} says when more exist). */
  static final int MAX_ENTRIES = 5000;
  private final Vertx vertx;
  private final Path agentHome;

  FolderListing(Vertx vertx, Path agentHome) {
    this.vertx = vertx;
    this.agentHome = agentHome;
  }

  Future<JsonObject> list(String path, Caller caller) {
    return vertx.executeBlocking(() -> path == null || path.isEmpty() ? starts(caller) : folder(path, caller), false);
  }

  /** The home the caller's shortcuts resolve against: an admin's is the agent user's, a user's is their first folder. */
  private Path home(Caller caller) {
    if (caller.isAdmin()) {
      return agentHome;
    }
    return caller.folders().isEmpty() ? null : Path.of(caller.folders().get(0));
  }

  private JsonObject starts(Caller caller) {
    Path home = home(caller);
    JsonArray shortcuts = new JsonArray();
    if (home != null) {
      for (Shortcut s : Shortcut.values()) {
        Path p = s.resolve(home);
        shortcuts.add(new JsonObject().put("shortcut", s.label()).put("path", p.toString())
            .put("exists", Files.isDirectory(p)));
      }
    }
    JsonArray entries = new JsonArray();
    List<String> roots = caller.isAdmin() ? List.of("/", agentHome.toString()) : caller.folders();
    for (String r : roots) {
      entries.add(new JsonObject().put("name", r).put("path", r).put("kind", "folder"));
    }
    return new JsonObject().put("home", home == null ? null : home.toString()).put("shortcuts", shortcuts)
        .put("entries", entries);
  }

  private JsonObject folder(String text, Caller caller) {
    Path dir = checked(text);
    Optional<AgentException> outside = SetRights.outside(caller, dir, "rights.browse");
    if (outside.isPresent()) {
      throw outside.get();
    }
    List<JsonObject> entries = new ArrayList<>();
    boolean truncated = false;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (entries.size() == MAX_ENTRIES) {
          truncated = true;
          break;
        }
        entries.add(entry(p));
      }
    } catch (NoSuchFileException e) {
      throw AgentException.of(Failure.NOT_FOUND, "e.files.missing", dir);
    } catch (NotDirectoryException e) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.files.notFolder", dir);
    } catch (AccessDeniedException e) {
      throw AgentException.of(Failure.FORBIDDEN, "e.files.denied", dir);
    } catch (IOException e) {
      throw AgentException.of(Failure.INTERNAL, "e.files.io", dir, e.getMessage());
    }
    entries.sort(Comparator.<JsonObject, Boolean>comparing(o -> !"folder".equals(o.getString("kind")))
        .thenComparing(o -> o.getString("name"), String.CASE_INSENSITIVE_ORDER));
    return new JsonObject().put("path", dir.toString()).put("entries", new JsonArray(new ArrayList<>(entries)))
        .put("truncated", truncated);
  }

  /** The path of a request: absolute, without {@code .} or {@code ..} parts; BAD_REQUEST naming it otherwise. */
  private static Path checked(String text) {
    Path p;
    try {
      p = Path.of(text);
    } catch (InvalidPathException e) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.files.path", text);
    }
    if (!p.isAbsolute() || !p.normalize().equals(p) || text.contains("/./") || text.endsWith("/.")) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.files.path", text);
    }
    return p;
  }

  private static JsonObject entry(Path p) {
    JsonObject o = new JsonObject().put("name", String.valueOf(p.getFileName())).put("path", p.toString());
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String kind = a.isDirectory() ? "folder" : a.isRegularFile() ? "file" : a.isSymbolicLink() ? "link" : "other";
      o.put("kind", kind).put("size", a.size()).put("modified", a.lastModifiedTime().toMillis());
      if (a.isSymbolicLink()) {
        o.put("target", Files.readSymbolicLink(p).toString());
      }
    } catch (IOException e) {
      o.put("kind", "other"); // vanished or unreadable meanwhile: listed by name only
    }
    return o;
  }
}
