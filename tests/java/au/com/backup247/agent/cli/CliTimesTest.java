package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, times: the CLI shows them in this computer's zone to the second (report list and show,
 * browse), and {@code --from}/{@code --to} take dates, today, yesterday and times ago as well as
 * instants and epoch milliseconds.
 */
class CliTimesTest extends WithCliAgent {
  static final String SHOWN = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

  @Test
  void reportsAndBrowseShowLocalTimesToTheSecond_andFromTakesTodayYesterdayAndTimesAgo() throws Exception {
    Files.writeString(src.resolve("a.txt"), "a");
    LocalDate day = LocalDate.now(); // the agent and the CLI read "today" in this computer's zone too
    String id = agent.createSet(dir, set("Times", dir.resolve("dest"), src));
    assertEquals(0, agent.b247("backup", id, "--wait").exit());

    String list = agent.ok("report", "list", "--set", id);
    String line = list.lines().filter(l -> l.contains("Completed")).findFirst().orElseThrow();
    assertTrue(line.matches(".*  " + SHOWN + "  " + SHOWN), line);
    String show = agent.ok("report", "show", CliAgent.group(line, "^\\s*(\\d+)"));
    assertTrue(show.lines().anyMatch(l -> l.matches("  started      " + SHOWN)), show);
    assertTrue(show.lines().anyMatch(l -> l.matches("  " + SHOWN + " INFO .*")), show);
    assertFalse(show.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*") || show.matches("(?s).*\\d\\dZ.*"), show);
    String browse = agent.ok("browse", id, "--path", src.toString());
    assertTrue(browse.lines().anyMatch(l -> l.matches("\\s+file\\s+1  " + SHOWN + "  a\\.txt")), browse);

    String hourAgo = Instant.now().minusSeconds(3600).toString();
    try {
      for (String from : new String[] {"today", "yesterday", "7d", "12h", hourAgo}) {
        assertTrue(agent.ok("report", "list", "--set", id, "--from", from, "--to", "today").contains("Completed"),
            from);
      }
      assertEquals("no reports", agent.ok("report", "list", "--set", id, "--to", "yesterday").strip());
    } catch (AssertionError e) {
      // a run across local midnight makes the backup "yesterday": the answers were right for the new day
      Assumptions.assumeTrue(day.equals(LocalDate.now()), "the day changed during the test: " + e.getMessage());
      throw e;
    }
    CliRun.Result bad = agent.b247("report", "list", "--from", "tomorrow");
    assertEquals(2, bad.exit(), bad.all());
    assertTrue(bad.err().contains("--from tomorrow is not a time: give a date (2026-01-31)"), bad.all());
  }

  @Test
  void parse_readsEveryFormInTheGivenZone() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-06T15:30:00Z"), ZoneId.of("Australia/Sydney")); // 02:30 on the 7th
    long startOf7th = Instant.parse("2026-12-06T13:00:00Z").toEpochMilli();
    assertEquals(startOf7th, Times.parse("--from", "today", false, clock));
    assertEquals(startOf7th - 1, Times.parse("--to", "yesterday", true, clock));
    assertEquals(startOf7th, Times.parse("--from", "2026-12-07", false, clock));
    assertEquals(Instant.parse("2026-11-29T15:30:00Z").toEpochMilli(), Times.parse("--from", "7d", false, clock));
    assertEquals(Instant.parse("2026-12-06T19:30:00Z").toEpochMilli(),
        Times.parse("--from", "2026-12-07 06:30", false, clock));
    assertEquals(42L, Times.parse("--from", "42", false, clock));
  }
}
