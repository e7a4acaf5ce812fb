package au.com.backup247.agent.system;

import au.com.backup247.agent.Version;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The Information page of the guide (ch. 9.3), read live from the JVM's management beans.
 *
 * <pre>
 * { "version": "0.1.0",
 *   "jvm":     { "name", "vendor", "version" },
 *   "threads": { "live", "peak", "daemon", "totalStarted" },
 *   "heap":    { "usedBytes", "committedBytes", "maxBytes" },
 *   "os":      { "name", "version", "arch" },
 *   "processors": n,
 *   "memory":  { "committedVirtualBytes", "physicalFreeBytes", "physicalTotalBytes",
 *                "swapFreeBytes", "swapTotalBytes" } }
 * </pre>
 * Values the platform does not report are -1.
 */
final class SystemInfo {
  private SystemInfo() {
  }

  public static JsonObject read() {
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    ThreadMXBean th = ManagementFactory.getThreadMXBean();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    JsonObject memory = new JsonObject();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory.put("committedVirtualBytes", sun.getCommittedVirtualMemorySize())
          .put("physicalFreeBytes", sun.getFreeMemorySize())
          .put("physicalTotalBytes", sun.getTotalMemorySize())
          .put("swapFreeBytes", sun.getFreeSwapSpaceSize())
          .put("swapTotalBytes", sun.getTotalSwapSpaceSize());
    } else {
      memory.put("committedVirtualBytes", -1L).put("physicalFreeBytes", -1L).put("physicalTotalBytes", -1L)
          .put("swapFreeBytes", -1L).put("swapTotalBytes", -1L);
    }
    return new JsonObject()
        .put("version", Version.get())
        .put("jvm", new JsonObject().put("name", rt.getVmName()).put("vendor", rt.getVmVendor())
            .put("version", System.getProperty("java.runtime.version", rt.getVmVersion())))
        .put("threads", new JsonObject().put("live", th.getThreadCount()).put("peak", th.getPeakThreadCount())
            .put("daemon", th.getDaemonThreadCount()).put("totalStarted", th.getTotalStartedThreadCount()))
        .put("heap", new JsonObject().put("usedBytes", heap.getUsed()).put("committedBytes", heap.getCommitted())
            .put("maxBytes", heap.getMax()))
        .put("os", new JsonObject().put("name", os.getName()).put("version", os.getVersion()).put("arch", os.getArch()))
        .put("processors", os.getAvailableProcessors())
        .put("memory", memory);
  }
}
