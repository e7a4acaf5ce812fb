package au.com.backup247.agent.repo;

import java.net.InetAddress;

/**
 * This machine's name, as a backup job, a repository lock, a set's machine record and the catalog
 * record it: the local host's name, or {@code localhost} when it cannot be resolved.
 */
public final class HostName {
  private HostName() {
  }

  /** The local host's name, or {@code localhost} when it cannot be resolved. */
  public static String local() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
