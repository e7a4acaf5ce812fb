package au.com.backup247.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.SmsPasscodes.Check;
import au.com.backup247.agent.auth.SmsPasscodes.Issued;
import au.com.backup247.agent.auth.SmsPasscodes.Outcome;
import au.com.backup247.agent.auth.SmsPasscodes.State;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * SMS passcode rules as functions of the state and the time: each instant is a new SmsPasscodes
 * on a fixed clock (the state is immutable, so nothing waits for the wall clock).
 */
class SmsPasscodesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final byte[] KEY = new AgentSecret(new byte[32]).derive("sms-passcode v1");
  private final SecureRandom random = new SecureRandom();

  private SmsPasscodes at(Duration sinceT0) {
    return new SmsPasscodes(Clock.fixed(T0.plus(sinceT0), ZoneOffset.UTC), random, KEY);
  }

  private SmsPasscodes at(long seconds) {
    return at(Duration.ofSeconds(seconds));
  }

  @Test
  void issue_givesSixDigits_andKeepsOnlyAHash() {
    Issued i = at(0).issue("ch1");
    assertTrue(i.passcode().matches("[0-9]{6}"), i.passcode());
    State s = i.state();
    assertFalse(s.toString().contains(i.passcode()), s.toString());
    assertFalse(i.toString().contains(i.passcode()), i.toString());
    assertEquals(T0.plus(SmsPasscodes.LIFETIME), s.expiresAt());
    assertEquals(300, at(0).expiresIn(s));
    assertEquals(30, at(0).resendIn(s));
    assertEquals(3, SmsPasscodes.resendsLeft(s));
  }

  @Test
  void passcodes_keepLeadingZeros() {
    SecureRandom fortyTwo = new SecureRandom() {
      @Override
      public int nextInt(int bound) {
        return 42;
      }
    };
    assertEquals("000042", new SmsPasscodes(Clock.fixed(T0, ZoneOffset.UTC), fortyTwo, KEY).issue("c").passcode());
  }

  @Test
  void theRightPasscode_isAcceptedOnce() {
    Issued i = at(0).issue("ch1");
    Check first = at(10).check(i.state(), i.passcode());
    assertEquals(Outcome.ACCEPTED, first.outcome());
    assertEquals(Outcome.USED, at(11).check(first.state(), i.passcode()).outcome());
    assertEquals(Outcome.ACCEPTED, at(10).check(i.state(), i.passcode().substring(0, 3) + " "
        + i.passcode().substring(3)).outcome(), "spaces ignored");
  }

  @Test
  void fiveWrongTries_lockThePasscode() {
    Issued i = at(0).issue("ch1");
    String wrong = i.passcode().equals("000000") ? "000001" : "000000";
    State s = i.state();
    for (int n = 1; n <= SmsPasscodes.MAX_WRONG; n++) {
      Check c = at(n).check(s, wrong);
      assertEquals(Outcome.WRONG, c.outcome());
      assertEquals(n, c.state().wrong());
      s = c.state();
    }
    assertEquals(Outcome.LOCKED, at(10).check(s, i.passcode()).outcome());
    assertEquals(Outcome.WRONG, at(1).check(i.state(), null).outcome());
  }

  @Test
  void passcode_expiresAfterFiveMinutes() {
    Issued i = at(0).issue("ch1");
    assertEquals(Outcome.ACCEPTED, at(Duration.ofMillis(299_999)).check(i.state(), i.passcode()).outcome());
    assertEquals(Outcome.EXPIRED, at(300).check(i.state(), i.passcode()).outcome());
    assertEquals(1, at(Duration.ofMillis(299_001)).expiresIn(i.state()), "rounded up");
    assertEquals(0, at(301).expiresIn(i.state()));
  }

  @Test
  void resend_after30Seconds_replacesThePasscode_atMostThreeTimes() {
    Issued first = at(0).issue("ch1");
    AgentException early = assertThrows(AgentException.class, () -> at(29).resend(first.state(), "en"));
    assertEquals(Failure.TOO_MANY_REQUESTS, early.failure());
    assertEquals("a new passcode can be sent in 1 s", early.getMessage());
    assertEquals("un nouveau code pourra être envoyé dans 1 s", assertThrows(AgentException.class,
        () -> at(29).resend(first.state(), "fr")).getMessage());
    Issued second = at(30).resend(first.state(), "en");
    assertEquals(1, second.state().resends());
    assertEquals(T0.plusSeconds(30).plus(SmsPasscodes.LIFETIME), second.state().expiresAt());
    if (!second.passcode().equals(first.passcode())) {
      assertEquals(Outcome.WRONG, at(31).check(second.state(), first.passcode()).outcome(), "the old one is dead");
    }
    assertEquals(Outcome.ACCEPTED, at(31).check(second.state(), second.passcode()).outcome());
    Issued third = at(60).resend(second.state(), "en");
    Issued fourth = at(90).resend(third.state(), "en");
    assertEquals(0, SmsPasscodes.resendsLeft(fourth.state()));
    AgentException none = assertThrows(AgentException.class, () -> at(200).resend(fourth.state(), "en"));
    assertEquals(Failure.TOO_MANY_REQUESTS, none.failure());
    assertEquals("no more passcodes can be sent for this login (3 resends); log in again", none.getMessage());
    assertEquals("plus aucun code ne peut être envoyé pour cette connexion (3 renvois) ; reconnectez-vous",
        assertThrows(AgentException.class, () -> at(200).resend(fourth.state(), "fr")).getMessage());
  }

  @Test
  void wrongTries_carryOverResends() {
    Issued i = at(0).issue("ch1");
    String wrong = i.passcode().equals("000000") ? "000001" : "000000";
    State s = at(1).check(i.state(), wrong).state();
    Issued again = at(31).resend(s, "en");
    assertEquals(1, again.state().wrong());
  }

  @Test
  void passcode_isBoundToItsChallengeAndTheKey() {
    Issued i = at(0).issue("ch1");
    State s = i.state();
    State moved = new State("ch2", s.hash(), s.sentAt(), s.expiresAt(), 0, 0, false);
    assertEquals(Outcome.WRONG, at(1).check(moved, i.passcode()).outcome());
    SmsPasscodes otherKey = new SmsPasscodes(Clock.fixed(T0, ZoneOffset.UTC), random, new byte[32]);
    assertEquals(Outcome.WRONG, otherKey.check(s, i.passcode()).outcome());
    assertNotEquals(s.hash(), at(0).issue("ch1").state().hash(), "fresh passcode, fresh hash (almost surely)");
  }

  @Test
  void maskPhone_showsCountryCodeFirstAndLastTwoDigits() {
    assertEquals("+61 4•• ••• •89", SmsPasscodes.maskPhone("+61412345689"));
    assertEquals("+1 2•• ••• ••23", SmsPasscodes.maskPhone("+12025550123"));
    assertEquals("+44 7•• ••• ••23", SmsPasscodes.maskPhone("+447700900123"));
    assertEquals("+353 8•• ••• •67", SmsPasscodes.maskPhone("+353851234567"));
    assertEquals("••••••••89", SmsPasscodes.maskPhone("0412345689"));
    assertEquals("(none)", SmsPasscodes.maskPhone(null));
  }

  @Test
  void isPhoneNumber_meansE164() {
    assertTrue(SmsPasscodes.isPhoneNumber("+61412345689"));
    for (String bad : new String[] {"0412345689", "+0412345689", "+61 412 345 689", "+1234567", "+1234567890123456",
        "", null}) {
      assertFalse(SmsPasscodes.isPhoneNumber(bad), bad);
    }
  }
}
