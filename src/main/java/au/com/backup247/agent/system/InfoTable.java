package au.com.backup247.agent.system;

import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the Information JSON as the guide's two-column table (sizes in kbytes, as the guide shows),
 * labels and units from the message bundles ({@code info.*}) in the reader's language: the CLI prints
 * it, the API adds it to {@code GET /info} as {@code "table"} for the console.
 */
public final class InfoTable {
  private InfoTable() {
  }

  /** The rows in English. */
  public static Map<String, String> rows(JsonObject info) {
    return rows(info, "en");
  }

  /** The rows, label to value, in the guide's order, in {@code language}. */
  public static Map<String, String> rows(JsonObject info, String language) {
    JsonObject jvm = info.getJsonObject("jvm");
    JsonObject th = info.getJsonObject("threads");
    JsonObject heap = info.getJsonObject("heap");
    JsonObject os = info.getJsonObject("os");
    JsonObject mem = info.getJsonObject("memory");
    Map<String, String> rows = new LinkedHashMap<>();
    java.util.function.BiFunction<String, Object[], String> m = (k, a) -> Messages.get(language, "info." + k, a);
    rows.put(m.apply("version", new Object[0]), info.getString("version"));
    rows.put(m.apply("vm", new Object[0]), m.apply("vm.value", new Object[] {jvm.getString("name"),
        jvm.getString("version"), jvm.getString("vendor")}));
    rows.put(m.apply("liveThreads", new Object[0]), m.apply("currentPeak",
        new Object[] {String.valueOf(th.getInteger("live")), String.valueOf(th.getInteger("peak"))}));
    rows.put(m.apply("daemonThreads", new Object[0]), String.valueOf(th.getInteger("daemon")));
    rows.put(m.apply("threadsStarted", new Object[0]), String.valueOf(th.getLong("totalStarted")));
    rows.put(m.apply("heap", new Object[0]), m.apply("currentMax", new Object[] {kb(heap.getLong("committedBytes"),
        language), kb(heap.getLong("maxBytes"), language)}));
    rows.put(m.apply("os", new Object[0]), m.apply("os.value", new Object[] {os.getString("name"),
        os.getString("version")}));
    rows.put(m.apply("arch", new Object[0]), os.getString("arch"));
    rows.put(m.apply("processors", new Object[0]), String.valueOf(info.getInteger("processors")));
    rows.put(m.apply("virtualMemory", new Object[0]), kb(mem.getLong("committedVirtualBytes"), language));
    rows.put(m.apply("physicalMemory", new Object[0]), m.apply("freeTotal", new Object[] {
        kb(mem.getLong("physicalFreeBytes"), language), kb(mem.getLong("physicalTotalBytes"), language)}));
    rows.put(m.apply("swap", new Object[0]), m.apply("freeTotal", new Object[] {kb(mem.getLong("swapFreeBytes"),
        language), kb(mem.getLong("swapTotalBytes"), language)}));
    JsonObject api = info.getJsonObject("api");
    if (api != null) {
      rows.put(m.apply("api", new Object[0]), api.getString("url"));
      if (api.getString("certificateSha256") != null) {
        rows.put(m.apply("certificate", new Object[0]), api.getString("certificateSha256"));
      }
    }
    return rows;
  }

  /** The rows as a JSON array of {@code {"label", "value"}} (the API's {@code "table"}). */
  public static JsonArray table(JsonObject info, String language) {
    JsonArray a = new JsonArray();
    rows(info, language).forEach((k, v) -> a.add(new JsonObject().put("label", k).put("value", v)));
    return a;
  }

  public static String render(JsonObject info) {
    Map<String, String> rows = rows(info);
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    rows.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", k, v)));
    return sb.toString();
  }

  static String kb(Long bytes) {
    return kb(bytes, "en");
  }

  static String kb(Long bytes, String language) {
    if (bytes == null || bytes < 0) {
      return Messages.get(language, "info.na");
    }
    long k = bytes / 1024;
    java.text.NumberFormat digits = java.text.NumberFormat.getIntegerInstance("en".equals(language) ? Locale.ROOT
        : Locale.forLanguageTag(language));
    return Messages.get(language, "info.kbytes", k, digits.format(k));
  }
}
