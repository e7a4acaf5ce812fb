package au.com.backup247.agent.repo.store;

import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * A destination's host name that does not resolve ({@link UnknownHostException} or, from NIO
 * clients, {@link UnresolvedAddressException}, anywhere in the cause chain): a permanent error,
 * since retrying the same name will not make it exist, said as "host NAME not found".
 */
public final class HostNotFound {
  private HostNotFound() {
  }

  /** The failure to resolve a host name in {@code e}'s causes, or null. */
  public static Throwable in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return t;
      }
    }
    return null;
  }

  /**
   * {@code what + ": host NAME not found (check the host name in the destination's URL)"}, permanent,
   * or null when {@code e} is not about a host name. {@code host} names the host when the exception
   * does not (the JDK's message is "NAME" or "NAME: Name or service not known").
   */
  public static StoreException error(String what, String host, Throwable e) {
    Throwable t = in(e);
    if (t == null) {
      return null;
    }
    String m = t.getMessage();
    String name = m == null || m.isBlank() ? host : m.contains(":") ? m.substring(0, m.indexOf(':')).strip() : m.strip();
    return StoreException.permanent(what + ": host " + name + " not found (check the host name in the destination's "
        + "URL)", e);
  }
}
