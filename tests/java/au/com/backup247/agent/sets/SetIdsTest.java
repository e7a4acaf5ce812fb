package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SetIdsTest {

  @Test
  void idIsTheCreationMillisecond() {
    assertEquals(1_567_504_589_206L, new SetIds().next(1_567_504_589_206L));
  }

  @Test
  void sameMillisecond_bumpsByOne() {
    SetIds ids = new SetIds();
    assertEquals(1000, ids.next(1000));
    assertEquals(1001, ids.next(1000));
    assertEquals(1002, ids.next(1001));
    assertEquals(5000, ids.next(5000));
  }

  @Test
  void clockSteppingBack_orAStoredLargerId_neverGivesAnOldId() {
    SetIds ids = new SetIds();
    ids.seed(9000);
    assertEquals(9001, ids.next(1000));
    ids.seed(10); // a smaller seed changes nothing
    assertEquals(9002, ids.next(9000));
  }
}
