package au.com.backup247.agent.sets;

import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * JSON form of a {@link Source}.
 *
 * <pre>
 * "source": {
 *   "home": "/home/alice",                    optional; default: the agent user's home
 *   "shortcuts": ["documents", "desktop"],    home, desktop, documents, downloads, pictures,
 *                                             music, videos, movies
 *   "paths": ["/srv/data", "/etc/hosts"],     absolute files and folders ("advanced backup source")
 *   "excludedPaths": ["/srv/data/cache"],     absolute, each inside a selected folder
 *   "filters": [{
 *     "name": "Filter-1",                     required, unique
 *     "action": "include",                    include | exclude
 *     "excludeAllUnmatched": false,           include only: exclude what no pattern matches
 *     "match": "ends-with",                   contains | starts-with | ends-with | exact | regex
 *     "patterns": ["x", "X"],                 one or more; regex: whole name, Java syntax
 *     "apply": "both",                        files | folders | both (default)
 *     "top": "/home/alice/Desktop"            optional: this folder only (default: everywhere)
 *   }]
 * }
 * </pre>
 * At least one shortcut or path is required.
 */
final class SourceJson {
  private static final Set<String> KEYS = Set.of("home", "shortcuts", "paths", "excludedPaths", "filters");
  private static final Set<String> FILTER_KEYS = Set.of("name", "action", "excludeAllUnmatched", "match",
      "patterns", "apply", "top");
  static final int MAX_PATHS = 10_000;
  static final int MAX_FILTERS = 100;
  static final int MAX_PATTERNS = 100;

  private SourceJson() {
  }

  static Source decode(JsonObject json, String prefix, Path defaultHome, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    f.rejectUnknown(KEYS, "a source setting");
    Path home = f.has("home") ? f.localPath("home", true) : defaultHome;
    List<Shortcut> shortcuts = new ArrayList<>();
    List<String> names = f.strings("shortcuts", Shortcut.values().length * 2);
    for (int i = 0; i < names.size(); i++) {
      Shortcut s = Labeled.parse(Shortcut.values(), names.get(i));
      if (s == null) {
        f.error("shortcuts[" + i + "]", "v.label", Labeled.allowed(Shortcut.values()), names.get(i));
      } else if (shortcuts.contains(s)) {
        f.error("shortcuts[" + i + "]", "v.twice", s.label());
      } else {
        shortcuts.add(s);
      }
    }
    List<Path> paths = paths(f, "paths");
    List<Path> excluded = paths(f, "excludedPaths");
    if (names.isEmpty() && !(json.getValue("paths") instanceof JsonArray a && !a.isEmpty())) {
      errors.add(FieldError.of(prefix, "v.source.empty"));
    }
    List<SourceFilter> filters = filters(f, errors);
    if (home == null) {
      return null;
    }
    Source source = new Source(home, shortcuts, paths, excluded, filters);
    checkExcluded(f, source, excluded);
    return source;
  }

  private static List<Path> paths(SetFields f, String name) {
    List<Path> out = new ArrayList<>();
    List<String> texts = f.strings(name, MAX_PATHS);
    for (int i = 0; i < texts.size(); i++) {
      Path p = f.checkPath(texts.get(i), name + "[" + i + "]");
      if (p != null && out.contains(p)) {
        f.error(name + "[" + i + "]", "v.twice", p);
      } else if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static void checkExcluded(SetFields f, Source source, List<Path> excluded) {
    List<Path> selected = source.selectedPaths();
    for (int i = 0; i < excluded.size(); i++) {
      Path x = excluded.get(i);
      if (selected.stream().noneMatch(s -> x.startsWith(s) && !x.equals(s))) {
        f.error("excludedPaths[" + i + "]", "v.excluded.outside", x);
      }
    }
  }

  private static List<SourceFilter> filters(SetFields f, List<FieldError> errors) {
    List<SourceFilter> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonObject> items = f.objects("filters", MAX_FILTERS);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null) {
        SourceFilter sf = filter(items.get(i), f.path("filters[" + i + "]"), names, errors);
        if (sf != null) {
          out.add(sf);
        }
      }
    }
    return out;
  }

  private static SourceFilter filter(JsonObject json, String at, Set<String> names, List<FieldError> errors) {
    SetFields f = new SetFields(json, at, errors);
    f.rejectUnknown(FILTER_KEYS, "a filter setting");
    String name = f.text("name", true, 128);
    if (name != null && !names.add(SetFields.fold(name))) {
      f.error("name", "v.filter.dup", name);
    }
    SourceFilter.Action action = f.label("action", SourceFilter.Action.values(), null);
    boolean unmatched = f.bool("excludeAllUnmatched", false);
    if (unmatched && action == SourceFilter.Action.EXCLUDE) {
      f.error("excludeAllUnmatched", "v.filter.unmatched");
    }
    SourceFilter.Match match = f.label("match", SourceFilter.Match.values(), null);
    List<String> patterns = f.strings("patterns", MAX_PATTERNS);
    Object given = json.getValue("patterns");
    if (given == null || given instanceof JsonArray a && a.isEmpty()) {
      f.error("patterns", "v.patterns");
    }
    for (int j = 0; j < patterns.size(); j++) {
      String p = patterns.get(j);
      if (p.isEmpty()) {
        f.error("patterns[" + j + "]", "v.empty");
      } else if (match == SourceFilter.Match.REGEX) {
        try {
          Pattern.compile(p);
        } catch (PatternSyntaxException e) {
          f.error("patterns[" + j + "]", "v.regex", e.getDescription());
        }
      }
    }
    SourceFilter.Apply apply = f.label("apply", SourceFilter.Apply.values(), SourceFilter.Apply.BOTH);
    Path top = f.localPath("top", false);
    if (name == null || action == null || match == null) {
      return null;
    }
    return new SourceFilter(name, action, unmatched, match, patterns, apply, top);
  }

  static JsonObject encode(Source s) {
    JsonArray filters = new JsonArray();
    for (SourceFilter sf : s.filters()) {
      JsonObject o = new JsonObject().put("name", sf.name()).put("action", sf.action().label())
          .put("excludeAllUnmatched", sf.excludeAllUnmatched()).put("match", sf.match().label())
          .put("patterns", new JsonArray(sf.patterns())).put("apply", sf.apply().label());
      if (sf.top() != null) {
        o.put("top", sf.top().toString());
      }
      filters.add(o);
    }
    return new JsonObject().put("home", s.home().toString())
        .put("shortcuts", new JsonArray(s.shortcuts().stream().map(Shortcut::label).toList()))
        .put("paths", new JsonArray(s.paths().stream().map(Path::toString).toList()))
        .put("excludedPaths", new JsonArray(s.excludedPaths().stream().map(Path::toString).toList()))
        .put("filters", filters);
  }
}
