package au.com.backup247.agent.system;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Renders the Information JSON as the guide's two-column table (sizes in kbytes, as the guide shows). */
public final class InfoTable {
  private InfoTable() {
  }

  public static Map<String, String> rows(JsonObject info) {
    JsonObject jvm = info.getJsonObject("jvm");
    JsonObject th = info.getJsonObject("threads");
    JsonObject heap = info.getJsonObject("heap");
    JsonObject os = info.getJsonObject("os");
    JsonObject mem = info.getJsonObject("memory");
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("Version", info.getString("version"));
    rows.put("Virtual Machine Vendor", jvm.getString("name") + " Version " + jvm.getString("version") + " "
        + jvm.getString("vendor"));
    rows.put("Live Threads", th.getInteger("live") + " (Current) / " + th.getInteger("peak") + " (Peak)");
    rows.put("Daemon Threads", String.valueOf(th.getInteger("daemon")));
    rows.put("Total Threads Started", String.valueOf(th.getLong("totalStarted")));
    rows.put("Heap Size", kb(heap.getLong("committedBytes")) + " (Current) / " + kb(heap.getLong("maxBytes"))
        + " (Maximum)");
    rows.put("Operating System", os.getString("name") + " Version " + os.getString("version"));
    rows.put("Architecture", os.getString("arch"));
    rows.put("Number of Processors", String.valueOf(info.getInteger("processors")));
    rows.put("Committed Virtual Memory", kb(mem.getLong("committedVirtualBytes")));
    rows.put("Physical Memory", kb(mem.getLong("physicalFreeBytes")) + " (Free) / "
        + kb(mem.getLong("physicalTotalBytes")) + " (Total)");
    rows.put("Swap Space", kb(mem.getLong("swapFreeBytes")) + " (Free) / " + kb(mem.getLong("swapTotalBytes"))
        + " (Total)");
    JsonObject api = info.getJsonObject("api");
    if (api != null) {
      rows.put("API", api.getString("url"));
      if (api.getString("certificateSha256") != null) {
        rows.put("API Certificate SHA-256", api.getString("certificateSha256"));
      }
    }
    return rows;
  }

  public static String render(JsonObject info) {
    Map<String, String> rows = rows(info);
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    rows.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", k, v)));
    return sb.toString();
  }

  static String kb(Long bytes) {
    if (bytes == null || bytes < 0) {
      return "n/a";
    }
    long k = bytes / 1024;
    return String.format(Locale.ROOT, "%,d %s", k, k == 1 || k == 0 ? "kbyte" : "kbytes");
  }
}
