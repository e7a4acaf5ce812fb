package au.com.backup247.agent.repo.error;

/** Stored data failed its authentication tag, checksum, id or structure check. */
public class CorruptDataException extends RepoException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
