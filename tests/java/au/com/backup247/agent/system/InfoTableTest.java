package au.com.backup247.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTableTest {

  @Test
  void read_reportsRealValuesOfThisJvm() {
    JsonObject info = SystemInfo.read();
    assertEquals(Runtime.getRuntime().availableProcessors(), info.getInteger("processors"));
    assertEquals(System.getProperty("os.name"), info.getJsonObject("os").getString("name"));
    assertEquals(Runtime.getRuntime().maxMemory(), info.getJsonObject("heap").getLong("maxBytes"));
    assertTrue(info.getJsonObject("threads").getInteger("live") > 0);
    assertTrue(info.getJsonObject("memory").getLong("physicalTotalBytes") > 0);
  }

  @Test
  void rows_followTheGuidesInformationPage() {
    JsonObject info = new JsonObject()
        .put("version", "9.0.0.0")
        .put("jvm", new JsonObject().put("name", "OpenJDK 64-Bit Server VM").put("vendor", "Oracle Corporation")
            .put("version", "25.181-b13"))
        .put("threads", new JsonObject().put("live", 13).put("peak", 20).put("daemon", 9).put("totalStarted", 55))
        .put("heap", new JsonObject().put("usedBytes", 1).put("committedBytes", 98_560L * 1024)
            .put("maxBytes", 1_864_192L * 1024))
        .put("os", new JsonObject().put("name", "Mac OS X").put("version", "10.12").put("arch", "x86_64"))
        .put("processors", 4)
        .put("memory", new JsonObject().put("committedVirtualBytes", 7_099_840L * 1024)
            .put("physicalFreeBytes", 9_066_516L * 1024).put("physicalTotalBytes", 16_777_216L * 1024)
            .put("swapFreeBytes", 0L).put("swapTotalBytes", 0L));
    Map<String, String> rows = InfoTable.rows(info);
    assertEquals("9.0.0.0", rows.get("Version"));
    assertEquals("OpenJDK 64-Bit Server VM Version 25.181-b13 Oracle Corporation", rows.get("Virtual Machine Vendor"));
    assertEquals("13 (Current) / 20 (Peak)", rows.get("Live Threads"));
    assertEquals("9", rows.get("Daemon Threads"));
    assertEquals("55", rows.get("Total Threads Started"));
    assertEquals("98,560 kbytes (Current) / 1,864,192 kbytes (Maximum)", rows.get("Heap Size"));
    assertEquals("Mac OS X Version 10.12", rows.get("Operating System"));
    assertEquals("x86_64", rows.get("Architecture"));
    assertEquals("4", rows.get("Number of Processors"));
    assertEquals("7,099,840 kbytes", rows.get("Committed Virtual Memory"));
    assertEquals("9,066,516 kbytes (Free) / 16,777,216 kbytes (Total)", rows.get("Physical Memory"));
    assertEquals("0 kbyte (Free) / 0 kbyte (Total)", rows.get("Swap Space"));
  }
}
