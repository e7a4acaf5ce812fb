package au.com.backup247.agent.bandwidth;

import java.util.Locale;

/**
 * How one limit applies to several transfers (guide ch. 9.5, the two types of bandwidth control):
 * {@link #INDEPENDENT}, each destination of each job its own bucket of the rate; {@link #SHARED},
 * one bucket for all of them (a set's backups and restores, a command's destinations), so their
 * sum stays under the rate.
 */
public enum Mode {
  INDEPENDENT, SHARED;

  /** All labels, for messages: "independent or shared". */
  public static final String LABELS = "independent or shared";

  /** {@code independent} or {@code shared}, as JSON and the CLI write it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode labelled {@code text} (case and blanks around ignored).
   *
   * @throws BandwidthException ({@code v.label}) naming the bad value
   */
  public static Mode parse(String text) {
    for (Mode m : values()) {
      if (text != null && m.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw BandwidthException.of("v.label", LABELS, text);
  }
}
