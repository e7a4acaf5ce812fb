package au.com.backup247.agent.repo.error;

/** The key or password given does not open the repository's master key. */
public class WrongKeyException extends RepoException {
  private static final long serialVersionUID = 1L;

  public WrongKeyException(String message) {
    super(message);
  }
}
