package au.com.backup247.agent.repo.store;

/**
 * The folder of a repository on a file server (SFTP, FTP) and the server paths of its objects.
 * The configured root loses its trailing '/'s; an empty one is the login folder, which each
 * protocol names its own way ({@code login}: "." for SFTP, "" for FTP).
 *
 * @param dir the repository's folder on the server: absolute, relative to the login folder, or {@code login}
 * @param login how the protocol names the login folder
 */
public record ServerRoot(String dir, String login) {

  /** The folder configured as {@code root} (null or empty: the login folder, named {@code login}). */
  public static ServerRoot of(String root, String login) {
    String r = root == null ? "" : root;
    while (r.length() > 1 && r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return new ServerRoot(r.isEmpty() ? login : r, login);
  }

  /** The server path of the object path {@code path}. */
  public String resolve(String path) {
    return dir.equals(login) ? path : dir.equals("/") ? "/" + path : dir + "/" + path;
  }

  /** The folder of the server path {@code serverPath}: the login folder when it has no '/'. */
  public String parent(String serverPath) {
    int slash = serverPath.lastIndexOf('/');
    return slash < 0 ? login : slash == 0 ? "/" : serverPath.substring(0, slash);
  }
}
