package au.com.backup247.agent.sets;

/**
 * Issues backup set ids as the guide shows them: the creation time in epoch milliseconds. Ids
 * only grow: two sets created in the same millisecond (or after the clock stepped back) get the
 * previous id plus one. Seeded with the largest stored id, so a restart never reuses one.
 */
final class SetIds {
  private long last;

  /** Makes every later id greater than {@code max}. */
  synchronized void seed(long max) {
    last = Math.max(last, max);
  }

  /** The id for a set created at {@code nowMillis}. */
  synchronized long next(long nowMillis) {
    last = Math.max(nowMillis, last + 1);
    return last;
  }
}
