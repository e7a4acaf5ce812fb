package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's setup through the CLI against a real agent: {@code b247 --help} starts with how to
 * begin, a set is created with one command (flags, no file) or by answering questions on a
 * terminal, {@code set list} and {@code status}
 * show its last backup and next run, and {@code set template} prints a document that
 * {@code set create --file} takes as it is; the README's first backup (create, back up, restore by
 * name) gives the files back.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SetupCliIT {

  @Test
  void help_createWithFlags_listAndStatus_template(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.Result help = AgentProcess.exec(home, 60, "--help");
    assertEquals(0, help.exit(), help.all());
    assertTrue(help.out().startsWith("Getting started:\n  b247 start "), help.out());
    assertTrue(help.out().lines().skip(1).limit(3).allMatch(l -> l.startsWith("  b247 ")), help.out());

    Path src = dir.resolve("My Documents");
    Files.createDirectories(src.resolve("letters"));
    Files.writeString(src.resolve("letters/to-ann.txt"), "Dear Ann,\n");
    Files.writeString(src.resolve("notes.txt"), "milk, eggs\n");
    Path usb = dir.resolve("usb");
    try (RunningAgent agent = RunningAgent.start(home, AgentProcess.freePort(), "agent")) {
      String noSets = agent.ok("status");
      assertTrue(noSets.contains("\nno backup sets yet: b247 set create --name NAME --source FOLDER --dest"), noSets);

      AgentProcess.Result nothing = agent.b247("set", "create");
      assertEquals(2, nothing.exit(), nothing.all());
      assertTrue(nothing.err().contains("say what to back up: b247 set create --name NAME --source FOLDER"),
          nothing.all());
      AgentProcess.Result badWhen = agent.b247("set", "create", "--name", "docs", "--source", src.toString(),
          "--dest", usb.toString(), "--schedule", "every evening");
      assertEquals(2, badWhen.exit(), badWhen.all());
      assertTrue(badWhen.err().contains("--schedule \"every evening\": write it as \"daily 21:00\""), badWhen.all());

      String created = agent.ok("set", "create", "--name", "docs", "--source", src.toString(), "--dest",
          usb.toString(), "--schedule", "daily 21:00", "--keep-days", "30");
      assertTrue(created.startsWith("created backup set \"docs\" (id "), created);
      assertTrue(created.contains("\n  backs up " + src + "\n  to Local-1 file://" + usb + "\n  daily at 21:00; "
          + "keeps old versions 30 days\n"), created);
      assertTrue(created.contains("shown only now"), created);
      assertTrue(created.strip().endsWith("back it up now with: b247 backup docs --wait"), created);

      String before = agent.ok("set", "list");
      assertTrue(before.contains("\n    never backed up; next run today 21:00")
          || before.contains("\n    never backed up; next run tomorrow 21:00"), before);

      String backup = agent.ok("backup", "docs", "--wait");
      assertTrue(backup.contains("Local-1: Completed (report"), backup);
      assertTrue(backup.contains("Files:") && backup.contains("Data:") && backup.contains("Took:"),
          "the summary after a backup: " + backup);
      // the README's first backup ends with a restore by the set's name
      Path restored = dir.resolve("docs-restored");
      agent.ok("restore", "docs", "--target", restored.toString(), "--wait");
      for (String f : new String[] {"notes.txt", "letters/to-ann.txt"}) {
        Path copy;
        try (var found = Files.walk(restored)) {
          copy = found.filter(p -> p.endsWith(f)).findFirst().orElseThrow(() -> new AssertionError(f
              + " not restored under " + restored));
        }
        assertEquals(Files.readString(src.resolve(f)), Files.readString(copy), f);
      }
      String after = agent.ok("set", "list");
      assertTrue(after.contains("\n    last successful backup just now (Completed); next run "), after);
      String status = agent.ok("status");
      assertTrue(status.startsWith("running (pid "), status);
      assertTrue(status.contains("\nbackup set \"docs\" (id ")
          && status.contains(": last successful backup just now (Completed); next run ")
          && status.contains("; next run "), status);

      // on a terminal without flags: the same settings, one question at a time
      AgentProcess.Result wizard = Terminal.run(home, "holidays\n" + src + "\n\n" + dir.resolve("usb2") + "\n\n"
          + "weekly sat 06:00\n14\n", "set", "create");
      assertEquals(0, wizard.exit(), wizard.out());
      assertTrue(wizard.out().contains("Name of the set [Documents]: "), wizard.out());
      assertTrue(wizard.out().contains("created backup set \"holidays\" (id "), wizard.out());
      assertTrue(wizard.out().contains("  weekly (sat) at 06:00; keeps old versions 14 days\n"), wizard.out());
      assertTrue(wizard.out().contains("destination Local-1: tested, it works"), wizard.out());

      // the template, as printed, is a set create --file takes (comments and all)
      String template = agent.ok("set", "template");
      assertTrue(template.startsWith("// A backup set for `b247 set create --file THIS-FILE`"), template);
      Path file = Files.writeString(dir.resolve("set.json"), template, StandardCharsets.UTF_8);
      String fromTemplate = agent.ok("set", "create", "--file", file.toString());
      assertTrue(fromTemplate.startsWith("created backup set \"Documents\" (id "), fromTemplate);
      assertTrue(fromTemplate.contains("\n  daily at 21:00; monthly (day last) at 23:00 (off); keeps old versions 30 days"),
          fromTemplate);
      String shown = agent.ok("set", "show", "documents");
      assertTrue(shown.contains("\"name\" : \"No temporary files\""), shown);
    }
  }
}
