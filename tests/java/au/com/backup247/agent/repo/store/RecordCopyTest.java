package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecordCopyTest {
  record Sample(String name, int count, Long limit) {
    Sample {
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative");
      }
      name = name == null ? "" : name;
    }
  }

  @Test
  void aCopyChangesOnlyTheNamedComponents_throughTheConstructor() {
    Sample s = new Sample("a", 1, 7L);
    assertEquals(new Sample("a", 5, 7L), RecordCopy.of(s).set("count", 5).build());
    assertEquals(new Sample("", 1, null), RecordCopy.of(s).set("name", null).set("limit", null).build(),
        "the constructor normalises as it does for a new record");
    assertEquals(new Sample("a", 1, 7L), s, "the original is unchanged");
  }

  @Test
  void whatTheConstructorRefusesIsThrownAsItThrewIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecordCopy.of(new Sample("a", 1, null)).set("count", -1).build());
    assertEquals("count must not be negative", e.getMessage());
  }

  @Test
  void anUnknownComponentOrAValueOfTheWrongTypeIsRefusedByName() {
    RecordCopy<Sample> c = RecordCopy.of(new Sample("a", 1, null));
    assertEquals("Sample has no component cuont",
        assertThrows(IllegalArgumentException.class, () -> c.set("cuont", 2)).getMessage());
    assertEquals("Sample.count is a int, not String",
        assertThrows(IllegalArgumentException.class, () -> c.set("count", "2")).getMessage());
    assertEquals("Sample.count is a int, not null",
        assertThrows(IllegalArgumentException.class, () -> c.set("count", null)).getMessage());
  }
}
