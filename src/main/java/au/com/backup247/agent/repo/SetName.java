package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The set's name in its repository, the object {@code name} (FORMAT.md §12), so that the sets under
 * a destination root can be told apart without the agent and without their keys:
 *
 * <pre>
 * mac=&lt;base64 HMAC-SHA-256(K_name, the other lines, each ending in "\n")&gt;
 * name=Documents
 * setId=1795684595021
 * </pre>
 *
 * Plaintext like {@code config}, so whoever can read the storage can read the name. Anyone who can
 * write there can change it, so a name is only a hint until the repository is opened with its key:
 * then {@link #verify} checks the MAC and the set id. The agent records it when it creates or opens
 * a repository for a backup, so a renamed set's record follows at its next backup.
 */
public final class SetName {
  /** The object's path in the repository. */
  public static final String OBJECT = "name";

  private SetName() {
  }

  /**
   * The name recorded in the repository in folder {@code under} of {@code store} ({@code ""} or a
   * path ending in '/'), unverified; empty when there is none (repositories written before names
   * were recorded).
   */
  public static Optional<String> read(Store store, String under) {
    byte[] body;
    try {
      body = store.get(under + OBJECT);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
    String where = "name record " + under + OBJECT + " in " + store.name();
    return Optional.of(Props.parse(new String(body, StandardCharsets.UTF_8), where).require("name", where));
  }

  /** Whether {@code name} can be recorded: not null, not blank, on one line. */
  public static boolean recordable(String name) {
    return name != null && !name.isBlank() && name.indexOf('\n') < 0 && name.indexOf('\r') < 0;
  }

  /**
   * Records {@code name} in {@code repo} unless its record already says so, written with its key.
   * Returns true when it wrote the record.
   */
  public static boolean record(Repository repo, String name) {
    if (!recordable(name)) {
      throw new IllegalArgumentException("a set name must not be blank or hold a line break: \"" + name + "\"");
    }
    String text = text(repo, name);
    try {
      if (new String(repo.store().get(OBJECT), StandardCharsets.UTF_8).equals(text)) {
        return false;
      }
    } catch (NoSuchObjectException e) {
      // none yet
    }
    repo.store().put(OBJECT, text.getBytes(StandardCharsets.UTF_8));
    return true;
  }

  /**
   * The recorded name, checked with the key that opened {@code repo}: empty when there is no
   * record; an error naming the repository when the record was not written with this key for this
   * set (someone with access to the storage changed or copied it).
   */
  public static Optional<String> verify(Repository repo) {
    String where = "name record of repository " + repo.store().name();
    byte[] body;
    try {
      body = repo.store().get(OBJECT);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
    Props p = Props.parse(new String(body, StandardCharsets.UTF_8), where);
    byte[] expected = repo.masterKey().nameMac(p.text("mac").getBytes(StandardCharsets.UTF_8));
    if (!MessageDigest.isEqual(expected, RepoConfig.unb64(p.require("mac", where), where))
        || !repo.config().setId().equals(p.get("setId"))) {
      throw new CorruptDataException(where + " was not written with this repository's key for backup set "
          + repo.config().setId() + ": someone with access to the storage changed it, so the name \""
          + p.get("name") + "\" cannot be trusted; choose the set by its id");
    }
    return Optional.of(p.require("name", where));
  }

  private static String text(Repository repo, String name) {
    Props p = new Props().put("name", name).put("setId", repo.config().setId());
    p.put("mac", RepoConfig.b64(repo.masterKey().nameMac(p.text().getBytes(StandardCharsets.UTF_8))));
    return p.text();
  }
}
