package au.com.backup247.agent.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.home.SecretFiles;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMailerTest {
  private static JsonObject report(String status) {
    return new JsonObject().put("id", 12L).put("runId", "r1").put("jobId", "2023-11-14-22-13-20").put("setId", 7L)
        .put("destination", "Local-1").put("status", status).put("trigger", "schedule").put("scheduleName", "Daily")
        .put("startedAt", 1_700_000_000_000L).put("endedAt", 1_700_000_065_000L)
        .put("stats", new JsonObject().put("filesNew", 3).put("filesChanged", 1).put("filesUnchanged", 9)
            .put("filesDeleted", 2).put("bytesRead", 2048).put("bytesNew", 100).put("bytesStored", 60)
            .put("warnings", 25).put("errors", 0));
  }

  @Test
  void message_hasSubjectFieldsStatisticsAndAtMostTwentyProblemLines() {
    List<JsonObject> problems = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      problems.add(new JsonObject().put("seq", i).put("time", 1_700_000_001_000L).put("level", "warning")
          .put("message", "w" + i));
    }
    MailMessage m = new ReportMailer(ZoneOffset.UTC).message("a@b.c", "ops@b.c", "Docs\r\nBcc: x@y.z",
        report("Completed with warning(s)"), problems);
    assertEquals("[B247] Backup of Docs Bcc: x@y.z to Local-1: Completed with warning(s)", m.getSubject());
    assertEquals(List.of("ops@b.c"), m.getTo());
    String t = m.getText();
    for (String line : List.of("Status:          Completed with warning(s)", "Trigger:         schedule (Daily)",
        "Started:         2023-11-14 22:13:20 +00:00", "Ended:           2023-11-14 22:14:25 +00:00",
        "Duration:        1 min 5 s", "Files new:       3", "Files changed:   1", "Files unchanged: 9",
        "Files deleted:   2", "Bytes read:      2.0 KiB (2048 bytes)", "Bytes new:       100 B",
        "Warnings:        25", "Errors:          0", "Warnings and errors (first 20 of 25):",
        "  [warning] 2023-11-14 22:13:21 +00:00 w19")) {
      assertTrue(t.lines().anyMatch(line::equals), "missing <" + line + "> in\n" + t);
    }
    assertFalse(t.contains("w20"), t);
    assertTrue(m.getHtml().contains("<th align=\"left\">Status</th><td>Completed with warning(s)</td>"), m.getHtml());
  }

  @Test
  void html_escapesNames() {
    MailMessage m = new ReportMailer(ZoneOffset.UTC).message("a@b.c", "ops@b.c", "<script>", report("Completed"),
        List.of());
    assertTrue(m.getHtml().contains("&lt;script&gt;"));
    assertFalse(m.getHtml().contains("<script>"));
    assertFalse(m.getText().contains("Warnings and errors"));
  }

  @Test
  void durationAndSizes() {
    assertEquals("0 s", ReportMailer.duration(999));
    assertEquals("1 h 0 min 1 s", ReportMailer.duration(3_601_000));
    assertEquals("1023 B", ReportMailer.human(1023));
    assertEquals("1.5 MiB (1572864 bytes)", ReportMailer.human(1_572_864));
  }

  @Test
  void passwordFile_mustBeOwnerOnly_andErrorsNameTheKeyNotTheSecret(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("pw");
    Files.writeString(f, "s3cret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    String key = "agent.json: mail.passwordFile";
    AgentException e = assertThrows(AgentException.class, () -> SecretFiles.firstLine(f, key));
    assertEquals(key + " " + f + " is readable or writable by group or others (mode rw-r--r--); run: chmod 600 " + f,
        e.getMessage());
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertEquals("s3cret", SecretFiles.firstLine(f, key));
    e = assertThrows(AgentException.class, () -> SecretFiles.firstLine(dir.resolve("missing"), key));
    assertEquals(key + " " + dir.resolve("missing") + " does not exist", e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"));
  }
}
