package au.com.backup247.agent.sets;

import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationException;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.home.PrivateFiles;
import au.com.backup247.agent.schedule.FieldError;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The destination credentials of the sets, each stored for one set and one destination:
 *
 * <pre>
 * credentials/&lt;setId&gt;/&lt;stem&gt;.properties   the credentials file (Credentials' format), 0600
 * credentials/&lt;setId&gt;/&lt;stem&gt;.identity     the SSH private key given as identity-key, 0600
 * credentials/deleted/&lt;setId&gt;-&lt;time&gt;/       a deleted set's folder, kept like its key
 * </pre>
 * {@code stem} is the first 16 bytes of SHA-256 of the destination's name as names are compared
 * (case folded), in hex: a rename that only changes case keeps the file, and any name makes a
 * short, safe file name. The file's first comment line names the destination.
 *
 * <p>A set uses only the files of its own folder; they are written through
 * {@code PUT /api/v1/sets/{id}/destinations/{name}/credentials} and never read back by any API.
 * Blocking file I/O: call from a worker thread. Values never appear in messages or logs.
 */
public final class SetCredentials {
  /** The API's key for an SSH private key given as text (stored as a file, named by identity-file). */
  static final String IDENTITY_KEY = "identity-key";
  static final int MAX_VALUE = 8192;
  static final int MAX_IDENTITY = 64 * 1024;
  private final Path dir;

  /** {@code dir}: the agent home's {@code credentials} folder. */
  public SetCredentials(Path dir) {
    this.dir = dir;
  }

  /** The agent home's {@code credentials} folder. */
  Path dir() {
    return dir;
  }

  /** The credentials file of a set's destination (it may not exist). */
  public Path file(long setId, String destination) {
    return file(folder(setId), destination);
  }

  private Path folder(long setId) {
    return dir.resolve(Long.toString(setId));
  }

  private static Path file(Path folder, String destination) {
    return folder.resolve(stem(destination) + ".properties");
  }

  private static Path identity(Path folder, String destination) {
    return folder.resolve(stem(destination) + ".identity");
  }

  /** The credentials of a set's destination, or {@link Credentials#none()} when none are stored. */
  public Credentials load(long setId, String destination, boolean agentCredentials) {
    return load(folder(setId), destination, agentCredentials);
  }

  private static Credentials load(Path folder, String destination, boolean agentCredentials) {
    Path f = file(folder, destination);
    if (!agentCredentials) { // no environment, and a home with no ~/.ssh: only what is stored for the set
      return Credentials.load(Files.exists(f) ? f : null, java.util.Map.of(), folder);
    }
    return Files.exists(f) ? Credentials.load(f) : Credentials.none();
  }

  /**
   * Runs {@code use} with {@code values} (as {@link #store} takes them, typed for a destination that
   * is not saved yet) as the destination's credentials, loaded as {@link #load(long, String, boolean)}
   * loads a set's. They are written 0600 to a scratch folder of their own ({@code .test-<random>}: no
   * set id and no legacy credentials name looks like it) only while {@code use} runs, then removed.
   */
  <T> T withTyped(String destination, Map<String, String> values, boolean agentCredentials,
      java.util.function.Function<Credentials, T> use) throws IOException {
    byte[] r = new byte[12];
    new java.security.SecureRandom().nextBytes(r);
    Path scratch = dir.resolve(".test-" + HexFormat.of().formatHex(r));
    PrivateFiles.createDir(scratch);
    try {
      if (!values.isEmpty()) {
        store(scratch, destination, values);
      }
      return use.apply(load(scratch, destination, agentCredentials));
    } finally {
      Files.deleteIfExists(identity(scratch, destination));
      Files.deleteIfExists(file(scratch, destination));
      Files.deleteIfExists(scratch);
    }
  }

  /** As {@link #load(long, String, boolean)} for a set of the admins (the agent's own credentials fill in). */
  public Credentials load(long setId, String destination) {
    return load(folder(setId), destination, true);
  }

  boolean stored(long setId, String destination) {
    return Files.exists(file(setId, destination));
  }

  /**
   * Stores {@code values} (keys of {@link Credentials#KEYS}, or {@link #IDENTITY_KEY} with the key
   * itself) for a set's destination, replacing what was stored.
   */
  void store(long setId, String destination, Map<String, String> values) throws IOException {
    store(folder(setId), destination, values);
  }

  private static void store(Path folder, String destination, Map<String, String> values) throws IOException {
    Map<String, String> props = new LinkedHashMap<>(values);
    String key = props.remove(IDENTITY_KEY);
    Path id = identity(folder, destination);
    if (key != null) {
      PrivateFiles.write(id, (key.endsWith("\n") ? key : key + "\n").getBytes(StandardCharsets.UTF_8));
      props.put("identity-file", id.getFileName().toString()); // relative: to the credentials file's folder
    }
    Properties p = new Properties();
    p.putAll(props);
    StringWriter w = new StringWriter();
    p.store(w, "credentials of destination \"" + destination + "\" (b247 set credentials replaces them)");
    PrivateFiles.write(file(folder, destination), w.toString().getBytes(StandardCharsets.UTF_8));
    if (key == null) {
      Files.deleteIfExists(id);
    }
  }

  /** Removes a destination's credentials; false when none were stored. */
  boolean delete(long setId, String destination) throws IOException {
    Files.deleteIfExists(identity(folder(setId), destination));
    return Files.deleteIfExists(file(setId, destination));
  }

  /** Moves a destination's credentials to its new name (a destination renamed by an update). */
  void move(long setId, String from, String to) throws IOException {
    store(setId, to, values(setId, from));
    delete(setId, from);
  }

  /** What is stored for a destination, as {@link #store} takes it (the identity key itself); empty when nothing. */
  Map<String, String> values(long setId, String destination) throws IOException {
    if (!stored(setId, destination)) {
      return new LinkedHashMap<>();
    }
    Map<String, String> values = new LinkedHashMap<>(Credentials.readFile(file(setId, destination)));
    Path key = identity(folder(setId), destination);
    if (Files.exists(key)) {
      values.remove("identity-file");
      values.put(IDENTITY_KEY, Files.readString(key, StandardCharsets.UTF_8));
    }
    return values;
  }

  /** Moves a deleted set's folder to {@code deleted/<setId>-<now>}; returns where, or empty when it had none. */
  Optional<Path> retire(long setId, long now) throws IOException {
    Path from = dir.resolve(Long.toString(setId));
    if (!Files.isDirectory(from)) {
      return Optional.empty();
    }
    Path to = PrivateFiles.createDir(dir.resolve("deleted")).resolve(setId + "-" + now);
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(to);
  }

  /** The stems of a set's stored credentials (to find those of destinations an update removed). */
  List<String> stems(long setId) throws IOException {
    Path d = dir.resolve(Long.toString(setId));
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties"))
          .map(n -> n.substring(0, n.length() - ".properties".length())).sorted().toList();
    }
  }

  /** The file-name stem of a destination: hex of the first 16 bytes of SHA-256 of its folded name. */
  static String stem(String destination) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(SetFields.fold(destination)
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /**
   * The keys an API request may give for a destination of {@code scheme}: those of
   * {@link Credentials#keysFor}, with {@code identity-key} (the private key itself, OpenSSH or PEM
   * text) instead of {@code identity-file}, and without {@code known-hosts}: a file name on the
   * agent's machine would let a caller use a key or file that is not theirs.
   */
  static List<String> apiKeys(DestinationUrl.Scheme scheme) {
    List<String> keys = new ArrayList<>();
    for (String k : Credentials.keysFor(scheme)) {
      if (k.equals("identity-file")) {
        keys.add(IDENTITY_KEY);
      } else if (!k.equals("known-hosts")) {
        keys.add(k);
      }
    }
    return keys;
  }

  /**
   * Checks the body of a credentials request for a destination of {@code scheme} ({@code where}
   * names it in messages) and returns its values.
   *
   * @throws ValidationException with one entry per bad key
   */
  static Map<String, String> decode(JsonObject body, DestinationUrl.Scheme scheme, String where) {
    List<String> allowed = apiKeys(scheme);
    if (allowed.isEmpty()) {
      throw ValidationException.keyed("credentials", "v.credentials.local", where);
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (String k : body.fieldNames().stream().sorted().toList()) {
      Object v = body.getValue(k);
      FieldError.Problem problem = problem(k, v, allowed, scheme);
      if (problem != null) {
        errors.add(FieldError.of(k, problem));
      } else {
        values.put(k, k.equals(IDENTITY_KEY) ? (String) v : ((String) v).strip());
      }
    }
    if (errors.isEmpty() && values.isEmpty()) {
      errors.add(FieldError.of("credentials", "v.credentials.none", String.join(", ", allowed)));
    }
    if (errors.isEmpty()) {
      Map<String, String> check = new LinkedHashMap<>(values);
      if (check.remove(IDENTITY_KEY) != null) {
        check.put("identity-file", "-");
      }
      try {
        Credentials.checkConsistent(check, "the credentials of " + where);
      } catch (DestinationException e) {
        errors.add(new FieldError("credentials", e.getMessage().replace("identity-file", IDENTITY_KEY)));
      }
    }
    if (!errors.isEmpty()) {
      throw SetService.invalid(errors, "the credentials of " + where);
    }
    return values;
  }

  private static FieldError.Problem problem(String key, Object value, List<String> allowed,
      DestinationUrl.Scheme scheme) {
    if (key.equals("identity-file") && allowed.contains(IDENTITY_KEY)) {
      return FieldError.problem("v.credentials.file", IDENTITY_KEY);
    }
    if (!allowed.contains(key)) {
      return FieldError.problem("v.credentials.unknown", scheme.label(), String.join(", ", allowed));
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return FieldError.problem("v.nonEmpty");
    }
    if (key.equals(IDENTITY_KEY)) {
      return s.length() > MAX_IDENTITY ? FieldError.problem("v.atMost", MAX_IDENTITY)
          : s.strip().startsWith("-----BEGIN ") && s.contains("PRIVATE KEY-----") ? null
          : FieldError.problem("v.privateKey");
    }
    if (s.length() > MAX_VALUE) {
      return FieldError.problem("v.atMost", MAX_VALUE);
    }
    return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0
        ? FieldError.problem("v.oneLine") : null;
  }
}
