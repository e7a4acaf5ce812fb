package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The JSON labels of the settings' enums: settings files and the API depend on every one of them. */
class LabeledTest {

  private static List<String> labels(Labeled[] values) {
    return Arrays.stream(values).map(Labeled::label).toList();
  }

  @Test
  void everyLabel_isTheOneSettingsFilesUse() {
    assertEquals(List.of("include", "exclude"), labels(SourceFilter.Action.values()));
    assertEquals(List.of("contains", "starts-with", "ends-with", "exact", "regex"),
        labels(SourceFilter.Match.values()));
    assertEquals(List.of("files", "folders", "both"), labels(SourceFilter.Apply.values()));
    assertEquals(List.of("sequential", "concurrent"), labels(Destinations.Mode.values()));
    assertEquals(List.of("gcm", "cbc"), labels(Encryption.Mode.values()));
    assertEquals(List.of("all", "path"), labels(Deduplication.Scope.values()));
    assertEquals(List.of("home", "desktop", "documents", "downloads", "pictures", "music", "videos", "movies"),
        labels(Shortcut.values()));
  }

  @Test
  void parse_ignoresCaseAndBlanks_andTakesLabelsNotNames() {
    assertSame(SourceFilter.Match.STARTS_WITH, Labeled.parse(SourceFilter.Match.values(), " Starts-With "));
    assertNull(Labeled.parse(SourceFilter.Match.values(), "STARTS_WITH"));
    assertEquals("contains, starts-with, ends-with, exact or regex", Labeled.allowed(SourceFilter.Match.values()));
    assertEquals(List.of(), Stream.of(Shortcut.values()).filter(s -> Labeled.parse(Shortcut.values(), s.label()) != s)
        .toList());
  }
}
