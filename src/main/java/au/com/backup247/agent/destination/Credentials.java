package au.com.backup247.agent.destination;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The secrets and trust settings for destinations, kept out of URLs, command lines and logs.
 *
 * <p>They come from a credentials file ({@code --credentials FILE}), a Java properties file with
 * any of the keys in {@link #KEYS}:
 * <pre>
 * password=…                  # SFTP or FTP password
 * identity-file=~/.ssh/backup # SFTP private key (OpenSSH or PEM)
 * identity-passphrase=…       # its passphrase
 * known-hosts=~/.ssh/known_hosts
 * host-key-fingerprint=SHA256:…   # SFTP host key, instead of known_hosts
 * access-key=… / secret-key=… # S3
 * connection-string=…         # Azure (or account-key=…, the storage account's key)
 * proxy-username=… / proxy-password=…   # login for the HTTP proxy of S3 and Azure (?proxy=…)
 * certificate-fingerprint=…   # FTPS server certificate to trust (SHA-256)
 * </pre>
 * The file is refused when its group or others may read or write it (as OpenSSH refuses such
 * keys); the error says {@code chmod 600 FILE}. An unknown key is refused too (a typo would
 * otherwise silently drop a setting). {@code ~/} in file names means the user's home; other
 * relative names are relative to the credentials file's folder.
 *
 * <p>What the file does not give comes from the standard environment variables:
 * {@code AWS_ACCESS_KEY_ID} with {@code AWS_SECRET_ACCESS_KEY}, and
 * {@code AZURE_STORAGE_CONNECTION_STRING}. SFTP follows OpenSSH: without a password or
 * identity-file, the first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that
 * exists is the identity; without a host-key-fingerprint, host keys are checked against
 * {@code known-hosts}, by default {@code ~/.ssh/known_hosts}.
 *
 * <p>{@link #toString()} names where settings came from and which are set, never a value.
 */
public final class Credentials {
  /** The keys a credentials file may hold. */
  public static final List<String> KEYS = List.of("password", "identity-file", "identity-passphrase", "known-hosts",
      "host-key-fingerprint", "access-key", "secret-key", "connection-string", "account-key", "certificate-fingerprint",
      "proxy-username", "proxy-password");

  /** The keys a destination of {@code scheme} uses (a local folder: none). */
  public static List<String> keysFor(DestinationUrl.Scheme scheme) {
    return switch (scheme) {
      case LOCAL -> List.of();
      case SFTP -> List.of("password", "identity-file", "identity-passphrase", "known-hosts", "host-key-fingerprint");
      case FTP -> List.of("password");
      case FTPS -> List.of("password", "certificate-fingerprint");
      case S3 -> List.of("access-key", "secret-key", "proxy-username", "proxy-password");
      case AZURE -> List.of("connection-string", "account-key", "proxy-username", "proxy-password");
    };
  }

  /** Default SSH identities, in the order OpenSSH tries them. */
  public static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  private static final Set<PosixFilePermission> UNSAFE = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private final Path file;
  private final Path home;
  private final Map<String, String> values;
  private final List<String> fromEnvironment;

  private Credentials(Path file, Path home, Map<String, String> values, List<String> fromEnvironment) {
    this.file = file;
    this.home = home;
    this.values = Collections.unmodifiableMap(values);
    this.fromEnvironment = List.copyOf(fromEnvironment);
  }

  /** Reads {@code file} (null: none) with this process's environment and home folder. */
  public static Credentials load(Path file) {
    return load(file, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** No file: only the environment and the OpenSSH defaults. */
  public static Credentials none() {
    return load(null);
  }

  /**
   * Reads {@code file} (null: none), then fills in from {@code env}; {@code home} is where
   * {@code ~} and {@code ~/.ssh} are.
   *
   * @throws DestinationException when the file cannot be read, is readable or writable by others,
   *     or holds an unknown, empty or inconsistent key
   */
  public static Credentials load(Path file, Map<String, String> env, Path home) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      readFile(file, values);
      for (String k : List.of("identity-file", "known-hosts")) {
        if (values.containsKey(k)) {
          values.put(k, expand(file, home, values.get(k).strip()).toString());
        }
      }
      for (String k : List.of("host-key-fingerprint", "certificate-fingerprint", "access-key", "account-key",
          "proxy-username")) {
        if (values.containsKey(k)) {
          values.put(k, values.get(k).strip());
        }
      }
      checkConsistent(values, "credentials file " + file);
    }
    List<String> used = new ArrayList<>();
    if (!values.containsKey("access-key")) {
      String id = env.get("AWS_ACCESS_KEY_ID");
      String secret = env.get("AWS_SECRET_ACCESS_KEY");
      if (id != null && !id.isBlank() && secret != null && !secret.isEmpty()) {
        values.put("access-key", id.strip());
        values.put("secret-key", secret);
        used.add("AWS_ACCESS_KEY_ID");
        used.add("AWS_SECRET_ACCESS_KEY");
      }
    }
    if (!values.containsKey("connection-string") && !values.containsKey("account-key")) {
      String cs = env.get("AZURE_STORAGE_CONNECTION_STRING");
      if (cs != null && !cs.isBlank()) {
        values.put("connection-string", cs);
        used.add("AZURE_STORAGE_CONNECTION_STRING");
      }
    }
    return new Credentials(file, home, values, used);
  }

  /**
   * Checks that {@code values} (keys of {@link #KEYS}) go together: a host-key-fingerprint of the
   * form {@code SHA256:…}, access-key with secret-key, not both connection-string and account-key,
   * proxy-password with proxy-username, identity-passphrase with identity-file. {@code what} starts
   * the error message ("credentials file F", "the credentials of destination D").
   *
   * @throws DestinationException naming {@code what} and the problem
   */
  public static void checkConsistent(Map<String, String> values, String what) {
    String fp = values.get("host-key-fingerprint");
    if (fp != null && !fp.startsWith("SHA256:")) {
      throw new DestinationException(what + ": host-key-fingerprint must look like SHA256:… (as ssh-keygen -lf "
          + "prints it)");
    }
    if (values.containsKey("access-key") != values.containsKey("secret-key")) {
      throw new DestinationException(what + " has "
          + (values.containsKey("access-key") ? "access-key but no secret-key" : "secret-key but no access-key"));
    }
    if (values.containsKey("connection-string") && values.containsKey("account-key")) {
      throw new DestinationException(what + " has both connection-string and account-key; keep one");
    }
    if (values.containsKey("proxy-password") && !values.containsKey("proxy-username")) {
      throw new DestinationException(what + " has proxy-password but no proxy-username");
    }
    if (values.containsKey("identity-passphrase") && !values.containsKey("identity-file")) {
      throw new DestinationException(what + " has identity-passphrase but no identity-file");
    }
  }

  /**
   * The keys and values of a credentials file, checked as {@link #load} checks them (not readable
   * or writable by others, no unknown or empty key), without expanding file names or reading the
   * environment.
   *
   * @throws DestinationException naming the file and the problem
   */
  public static Map<String, String> readFile(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    readFile(file, values);
    return values;
  }

  private static void readFile(Path file, Map<String, String> values) {
    PosixFileAttributes attrs = null;
    try {
      attrs = Files.readAttributes(file, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new DestinationException("credentials file " + file + " does not exist");
    } catch (UnsupportedOperationException e) {
      // no POSIX permissions on this file system: nothing to check
    } catch (IOException e) {
      throw new DestinationException("credentials file " + file + " cannot be read: " + e.getMessage());
    }
    if (attrs != null) {
      if (!attrs.isRegularFile()) {
        throw new DestinationException("credentials file " + file + " is not a regular file");
      }
      Set<PosixFilePermission> perms = attrs.permissions();
      if (!Collections.disjoint(perms, UNSAFE)) {
        throw new DestinationException("credentials file " + file + " is readable or writable by others (mode "
            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
      }
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new DestinationException("credentials file " + file + " cannot be read: " + e.getMessage());
    }
    List<String> names = new ArrayList<>(p.stringPropertyNames());
    Collections.sort(names);
    for (String k : names) {
      if (!KEYS.contains(k)) {
        throw new DestinationException("credentials file " + file + ": unknown key \"" + k + "\" (known: "
            + String.join(", ", KEYS) + ")");
      }
      String v = p.getProperty(k);
      if (v.isBlank()) {
        throw new DestinationException("credentials file " + file + ": " + k + " is empty");
      }
      values.put(k, v);
    }
  }

  private static Path expand(Path file, Path home, String name) {
    if (name.equals("~")) {
      return home;
    }
    if (name.startsWith("~/")) {
      return home.resolve(name.substring(2));
    }
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      return p;
    }
    Path dir = file.toAbsolutePath().getParent();
    return dir == null ? p.toAbsolutePath() : dir.resolve(p);
  }

  // ---- values ----------------------------------------------------------------------------------

  /** The credentials file, if one was given. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  public Optional<String> password() {
    return Optional.ofNullable(values.get("password"));
  }

  /** The identity file given in the credentials file (no default). */
  public Optional<Path> identityFile() {
    return Optional.ofNullable(values.get("identity-file")).map(Path::of);
  }

  public Optional<String> identityPassphrase() {
    return Optional.ofNullable(values.get("identity-passphrase"));
  }

  /** The known_hosts file given in the credentials file (no default). */
  public Optional<Path> knownHosts() {
    return Optional.ofNullable(values.get("known-hosts")).map(Path::of);
  }

  public Optional<String> hostKeyFingerprint() {
    return Optional.ofNullable(values.get("host-key-fingerprint"));
  }

  /** S3 access key id, from the file or {@code AWS_ACCESS_KEY_ID}. */
  public Optional<String> accessKey() {
    return Optional.ofNullable(values.get("access-key"));
  }

  /** S3 secret key, from the file or {@code AWS_SECRET_ACCESS_KEY}. */
  public Optional<String> secretKey() {
    return Optional.ofNullable(values.get("secret-key"));
  }

  /** Azure connection string, from the file or {@code AZURE_STORAGE_CONNECTION_STRING}. */
  public Optional<String> connectionString() {
    return Optional.ofNullable(values.get("connection-string"));
  }

  /** Azure storage account key (base64), from the file; used when there is no connection string. */
  public Optional<String> accountKey() {
    return Optional.ofNullable(values.get("account-key"));
  }

  /** Login ID for the HTTP proxy of S3 and Azure destinations. */
  public Optional<String> proxyUsername() {
    return Optional.ofNullable(values.get("proxy-username"));
  }

  /** Password for {@link #proxyUsername()}. */
  public Optional<String> proxyPassword() {
    return Optional.ofNullable(values.get("proxy-password"));
  }

  /** FTPS server certificate fingerprint to trust. */
  public Optional<String> certificateFingerprint() {
    return Optional.ofNullable(values.get("certificate-fingerprint"));
  }

  /**
   * The SSH identity to use: identity-file, or (OpenSSH default) when neither a password nor an
   * identity-file is given, the first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa},
   * {@code id_rsa} that exists. A default key is not tried next to a password: an encrypted
   * default key would then stop a password login that works.
   */
  public Optional<Path> sshIdentity() {
    if (values.containsKey("identity-file")) {
      return identityFile();
    }
    if (values.containsKey("password")) {
      return Optional.empty();
    }
    for (String n : DEFAULT_IDENTITIES) {
      Path p = home.resolve(".ssh").resolve(n);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The known_hosts file to check SSH host keys against: known-hosts, or {@code ~/.ssh/known_hosts}. */
  public Path sshKnownHosts() {
    return knownHosts().orElse(home.resolve(".ssh").resolve("known_hosts"));
  }

  /** Where the settings came from and which are set; never a value. */
  @Override
  public String toString() {
    List<String> fromFile = new ArrayList<>();
    for (String k : KEYS) {
      if (values.containsKey(k) && !(fromEnvironment.contains("AWS_ACCESS_KEY_ID")
          && (k.equals("access-key") || k.equals("secret-key"))
          || fromEnvironment.contains("AZURE_STORAGE_CONNECTION_STRING") && k.equals("connection-string"))) {
        fromFile.add(k);
      }
    }
    return "Credentials[" + (file == null ? "no file" : "file " + file + ": " + String.join(", ", fromFile))
        + (fromEnvironment.isEmpty() ? "" : "; environment: " + String.join(", ", fromEnvironment)) + "]";
  }
}
