package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.RepoException;

/** The object does not exist at the store. */
public class NoSuchObjectException extends RepoException {
  private static final long serialVersionUID = 1L;

  public NoSuchObjectException(String message) {
    super(message);
  }
}
