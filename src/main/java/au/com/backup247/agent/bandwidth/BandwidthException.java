package au.com.backup247.agent.bandwidth;

/**
 * A bandwidth setting cannot be used as given: a rate, mode or period that does not parse. The
 * message is one line for a person naming the bad value; callers treat it as a usage error.
 */
public final class BandwidthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BandwidthException(String message) {
    super(message);
  }
}
