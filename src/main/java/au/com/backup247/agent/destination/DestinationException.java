package au.com.backup247.agent.destination;

/**
 * A destination cannot be used as given: a malformed URL, a credentials file that is missing,
 * unsafe or incomplete, or a destination type this build does not offer. The message is one line
 * for a person; it names the bad part (scheme, host, port, bucket, file, key) and never contains a
 * secret. Callers treat it as a usage error, not as a failure of the destination itself.
 */
public final class DestinationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationException(String message) {
    super(message);
  }

  public DestinationException(String message, Throwable cause) {
    super(message, cause);
  }
}
