package au.com.backup247.agent.repo.store;

/** The object does not exist at the store. A permanent {@link StoreException}. */
public class NoSuchObjectException extends StoreException {
  private static final long serialVersionUID = 1L;

  public NoSuchObjectException(String message) {
    super(Kind.PERMANENT, message);
  }

  public NoSuchObjectException(String message, Throwable cause) {
    super(Kind.PERMANENT, message, cause);
  }
}
