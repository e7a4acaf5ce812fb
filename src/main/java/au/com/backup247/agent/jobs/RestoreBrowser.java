package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Browsing a set's backups at one destination (guide ch. 13): its restore points, the tree of a
 * folder as of a job (optionally with every version), and a search by name. Each request opens the
 * repository read-only on a worker thread and closes it after; nothing is cached. Only a tree with
 * every version loads the version history; the others load the versions current as of the job.
 */
final class RestoreBrowser {
  static final int MAX_PER_PAGE = 1000;

  private final RestorePlaces places;

  RestoreBrowser(RestorePlaces places) {
    this.places = places;
  }

  /** See {@link Addresses#JOBS_RESTORE_POINTS}. */
  Future<JsonObject> points(JsonObject body) {
    return places.place(body).compose(p -> places.blocking(() -> {
      try (Repository repo = places.open(p)) {
        List<String> ids = repo.jobIds();
        JsonArray items = new JsonArray();
        for (int i = ids.size() - 1; i >= 0; i--) {
          Manifest m = repo.manifest(ids.get(i));
          items.add(new JsonObject().put("job", ids.get(i)).put("time", m.get("started"))
              .put("sources", new JsonArray(new ArrayList<Object>(m.sources())))
              .put("stats", new JsonObject().put("filesNew", m.stat("files.new"))
                  .put("filesChanged", m.stat("files.changed")).put("filesUnchanged", m.stat("files.unchanged"))
                  .put("bytesRead", m.stat("bytes.read")).put("bytesNew", m.stat("bytes.new"))
                  .put("bytesStored", m.stat("bytes.stored")).put("warnings", m.stat("warnings"))
                  .put("errors", m.stat("errors"))));
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name()).put("items", items);
      }
    }));
  }

  /** See {@link Addresses#JOBS_RESTORE_TREE}. */
  Future<JsonObject> tree(JsonObject body) {
    TreeRequest req = TreeRequest.of(body);
    return places.place(body).compose(p -> places.blocking(() -> {
      try (Repository repo = places.open(p)) {
        History h = RestorePlaces.history(repo, p, req.job(), req.allVersions());
        JsonArray items = req.allVersions() ? allVersions(h, req.path()) : current(h, req.path());
        if (items.isEmpty() && !req.path().equals("/") && !known(h, req.path(), req.allVersions())) {
          throw AgentException.of(Failure.NOT_FOUND, "e.restore.pathNotIn", req.path(), h.jobId(), p.set().id(),
              p.target().name());
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name())
            .put("job", h.jobId()).put("path", req.path()).put("allVersions", req.allVersions())
            .put("items", items);
      }
    }));
  }

  /**
   * See {@link Addresses#JOBS_RESTORE_SEARCH}: the entries under {@code folder} (its direct children,
   * or everything below with {@code subfolders}) as of a job whose name matches the pattern, of the
   * chosen kind (files — symlinks count as files — directories, or both), in path order, one page.
   */
  Future<JsonObject> search(JsonObject body) {
    SearchRequest req = SearchRequest.of(body);
    Predicate<String> matches = req.mode().matcher(req.matchCase() ? req.pattern()
        : req.pattern().toLowerCase(Locale.ROOT));
    return places.place(body).compose(p -> places.blocking(() -> {
      try (Repository repo = places.open(p)) {
        History h = RestorePlaces.history(repo, p, req.job(), false);
        if (!req.folder().equals("/") && !h.current().containsKey(req.folder())) {
          throw AgentException.of(Failure.NOT_FOUND, "e.restore.folderNotIn", req.folder(), h.jobId(), p.set().id(),
              p.target().name());
        }
        String prefix = req.folder().equals("/") ? "/" : req.folder() + "/";
        long total = 0;
        long from = (long) (req.page() - 1) * req.perPage();
        JsonArray items = new JsonArray();
        for (Map.Entry<String, FileVersion> e : h.current().tailMap(prefix, false).entrySet()) {
          String path = e.getKey();
          if (!path.startsWith(prefix)) {
            break;
          }
          int slash = path.lastIndexOf('/');
          if (!req.subfolders() && slash != prefix.length() - 1) {
            continue;
          }
          boolean isFolder = e.getValue().kind() == FileVersion.FOLDER;
          if (isFolder ? req.kind().equals("files") : req.kind().equals("directories")) {
            continue;
          }
          String name = path.substring(slash + 1);
          if (!matches.test(req.matchCase() ? name : name.toLowerCase(Locale.ROOT))) {
            continue;
          }
          if (total >= from && items.size() < req.perPage()) {
            items.add(version(e.getValue()).put("name", name).put("folder", slash == 0 ? "/" : path.substring(0, slash))
                .put("path", path));
          }
          total++;
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name())
            .put("job", h.jobId()).put("folder", req.folder()).put("subfolders", req.subfolders())
            .put("kind", req.kind()).put("mode", req.mode().label).put("pattern", req.pattern())
            .put("matchCase", req.matchCase()).put("page", req.page()).put("perPage", req.perPage())
            .put("total", total).put("pages", (total + req.perPage() - 1) / req.perPage()).put("items", items);
      }
    }));
  }

  private static boolean known(History h, String path, boolean all) {
    if (h.current().containsKey(path)) {
      return true;
    }
    return all && h.spans().stream().anyMatch(s -> s.version().path().equals(path));
  }

  private static String childName(String folder, String path) {
    String prefix = folder.equals("/") ? "/" : folder + "/";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    String rest = path.substring(prefix.length());
    return rest.indexOf('/') >= 0 ? null : rest;
  }

  private static JsonArray current(History h, String folder) {
    String prefix = folder.equals("/") ? "/" : folder + "/";
    JsonArray items = new JsonArray();
    for (Map.Entry<String, FileVersion> e : h.current().tailMap(prefix, false).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      String name = childName(folder, e.getKey());
      if (name != null) {
        items.add(entry(name, e.getValue()));
      }
    }
    return items;
  }

  private static JsonArray allVersions(History h, String folder) {
    Map<String, JsonObject> byPath = new LinkedHashMap<>();
    List<History.Span> spans = new ArrayList<>(h.spans());
    spans.sort((a, b) -> a.version().path().compareTo(b.version().path()));
    for (History.Span s : spans) {
      String name = childName(folder, s.version().path());
      if (name == null) {
        continue;
      }
      JsonObject item = byPath.computeIfAbsent(s.version().path(), k -> {
        FileVersion cur = h.current().get(k);
        JsonObject o = cur == null ? entry(name, s.version()) : entry(name, cur);
        return o.put("current", cur != null).put("versions", new JsonArray());
      });
      item.getJsonArray("versions").add(version(s.version()).put("firstJob", s.firstJob()).put("endJob", s.endJob())
          .put("area", s.endJob() == null ? "data" : "retention"));
    }
    return new JsonArray(new ArrayList<>(byPath.values()));
  }

  private static JsonObject entry(String name, FileVersion v) {
    return version(v).put("name", name).put("path", v.path());
  }

  private static JsonObject version(FileVersion v) {
    JsonObject o = new JsonObject().put("kind", switch (v.kind()) {
      case FileVersion.FOLDER -> "folder";
      case FileVersion.SYMLINK -> "symlink";
      default -> "file";
    }).put("size", v.size()).put("mtime", v.mtimeNanos() / 1_000_000L);
    if (v.kind() == FileVersion.SYMLINK) {
      o.put("target", v.target());
    }
    return o;
  }
}
