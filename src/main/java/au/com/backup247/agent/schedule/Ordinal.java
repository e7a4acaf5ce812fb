package au.com.backup247.agent.schedule;

/** The guide's "First / Second / Third / Fourth / Last" drop-down of a monthly day rule. */
public enum Ordinal {
  FIRST(1), SECOND(2), THIRD(3), FOURTH(4), LAST(-1);

  private final int number;

  Ordinal(int number) {
    this.number = number;
  }

  /** 1..4, or -1 for {@code LAST}. */
  public int number() {
    return number;
  }
}
