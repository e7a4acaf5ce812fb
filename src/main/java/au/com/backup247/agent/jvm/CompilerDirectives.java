package au.com.backup247.agent.jvm;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;

/**
 * Rules for the JVM's just-in-time compilers, added to the running JVM through its
 * {@code compilerDirectivesAdd} diagnostic command (what {@code jcmd <pid> Compiler.directives_add}
 * does). A rule added later is matched first. A JVM without the command (not HotSpot, or the
 * management module left out) keeps compiling as it did: every rule here only saves time.
 *
 * <p>Not through {@code -XX:CompilerDirectivesFile}: that option prints "N compiler directives
 * added" on standard output, which belongs to the command's own output.
 */
public final class CompilerDirectives {
  /**
   * The packages whose code runs once per byte (or per few bytes) of a backup or a restore: content
   * chunking, SHA-2 and HMAC, AES-GCM, and the repository's sealing and compression around them.
   * Their hot methods are worth the optimising compiler (C2), which also turns SHA-2, AES and GHASH
   * into the CPU's instructions; the quick compiler (C1) does not.
   */
  public static final List<String> KERNELS = List.of("au/com/backup247/agent/repo/chunk/*.*",
      "au/com/backup247/agent/repo/crypto/*.*", "au/com/backup247/agent/repo/compress/*.*",
      "sun/security/provider/*.*", "com/sun/crypto/provider/*.*", "javax/crypto/*.*");

  /**
   * For a command that runs once and exits (a CLI backup, restore or check): the optimising compiler
   * for {@link #KERNELS} only, the quick compiler for everything else.
   *
   * <p>Measured on a 2-core machine (a 1.2 GB, 47,000-file first backup; its re-run; its restore),
   * the optimising compiler otherwise spent about 3.5 CPU-s, a quarter of the first backup's CPU, on
   * some 550 methods that each run once per file, chunk or message, and kept compiling until the
   * end. With this rule it compiles about 95 methods: the first backup used about 2 CPU-s less, the
   * re-run and the restore 0.6 and 1.5 CPU-s less, and peak memory fell by about 20 MB. A long-lived
   * agent is not given it: there the compilations are paid once and the faster code pays off.
   */
  static final String KERNELS_ONLY = "[{match: [" + String.join(", ", KERNELS.stream().map(k -> "\"" + k + "\"").toList())
      + "], c2: {Exclude: false}}, {match: \"*.*\", c2: {Exclude: true}}]";

  private CompilerDirectives() {
  }

  /**
   * Adds {@code json} (the JVM's compiler directive format) to the running JVM's directives; returns
   * the JVM's answer ("2 compiler directives added"), or null when it cannot.
   */
  public static String add(String json) {
    Path file = null;
    try {
      file = Files.createTempFile("b247-jit", ".json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
      return String.valueOf(answer).trim();
    } catch (Exception | LinkageError e) {
      return null; // only an optimisation
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a small file in the temporary folder
        }
      }
    }
  }

  /** Adds {@link #KERNELS_ONLY}; returns the JVM's answer, or null when it cannot. */
  public static String kernelsOnly() {
    return add(KERNELS_ONLY);
  }

  /**
   * Whether the command line {@code args} is a one-shot command that gains from {@link #kernelsOnly}:
   * the repository commands ({@code b247 repo ...}), which read or write a repository's data in this
   * process. The agent itself and the commands that only talk to it are not.
   */
  public static boolean forCommand(String... args) {
    return args.length > 0 && "repo".equals(args[0]);
  }

  /**
   * {@link #kernelsOnly} on a daemon thread when {@link #forCommand} says so, so that the command's
   * start does not wait for the management classes to load.
   */
  public static void startFor(String... args) {
    if (forCommand(args)) {
      Thread t = new Thread(CompilerDirectives::kernelsOnly, "b247-jit-rules");
      t.setDaemon(true);
      t.start();
    }
  }
}
