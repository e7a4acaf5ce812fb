package au.com.backup247.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerDirectivesTest {
  /** A line of {@code -XX:+PrintCompilation}: time, compile id, flags, tier, method. */
  private static final Pattern COMPILED = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*\\s([0-4])\\s+(\\S+)");

  @TempDir
  Path dir;

  @Test
  void onlyTheRepositoryCommandsTakeTheRule() {
    assertTrue(CompilerDirectives.forCommand("repo", "backup", "--repo", "/r", "/src"));
    assertTrue(CompilerDirectives.forCommand("repo"));
    for (List<String> args : List.of(List.<String>of(), List.of("run"), List.of("start"), List.of("status"),
        List.of("backup", "docs"), List.of("--help"), List.of("set", "list", "repo"))) {
      assertFalse(CompilerDirectives.forCommand(args.toArray(String[]::new)), args.toString());
    }
  }

  @Test
  void theRuleNamesEveryKernelPackage() {
    for (String k : CompilerDirectives.KERNELS) {
      assertTrue(CompilerDirectives.KERNELS_ONLY.contains("\"" + k + "\""), k);
    }
    assertTrue(CompilerDirectives.KERNELS_ONLY.endsWith("{match: \"*.*\", c2: {Exclude: true}}]"));
  }

  /** In a fresh JVM: with the rule, SHA-256 gets the optimising compiler and other hot code the quick one. */
  @Test
  void withTheRule_kernelsGetC2_andOtherHotCodeC1WithoutProfiling() throws Exception {
    Set<String> tiers = run("rule");
    assertTrue(tiers.contains("answer 2 compiler directives added"), tiers.toString());
    assertTrue(tiers.contains("4 sun.security.provider.SHA2::implCompress0"), tiers.toString());
    assertFalse(tiers.contains("4 " + Child.class.getName() + "::spin"), tiers.toString());
    assertTrue(tiers.contains("1 " + Child.class.getName() + "::spin"), tiers.toString());
  }

  /** The control: the same JVM without the rule compiles the hot method with C2 (else the test above proves nothing). */
  @Test
  void withoutTheRule_theSameHotCodeGetsC2() throws Exception {
    Set<String> tiers = run("none");
    assertTrue(tiers.contains("4 " + Child.class.getName() + "::spin"), tiers.toString());
  }

  /** Runs {@link Child} with the compilers' listing; returns "tier method" of its two methods' compilations, and its answer. */
  private Set<String> run(String mode) throws Exception {
    Path out = dir.resolve(mode + ".txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+PrintCompilation", "-XX:-BackgroundCompilation", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), Child.class.getName(), mode)
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish");
    }
    List<String> lines = Files.readAllLines(out);
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    Set<String> seen = new TreeSet<>();
    for (String line : lines) {
      Matcher m = COMPILED.matcher(line);
      if (m.find() && (m.group(2).contains("spin") || m.group(2).contains("SHA2::implCompress0"))) {
        seen.add(m.group(1) + " " + m.group(2));
      } else if (line.startsWith("answer ")) {
        seen.add(line);
      }
    }
    return seen;
  }

  /** The child JVM: adds the rule (mode "rule") or not ("none"), then runs a kernel and a plain hot method. */
  public static final class Child {
    private Child() {
    }

    public static void main(String[] args) throws Exception {
      if (args[0].equals("rule")) {
        System.out.println("answer " + CompilerDirectives.kernelsOnly());
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[256];
      long x = 0;
      for (int i = 0; i < 60_000; i++) {
        block[0] = (byte) i;
        sha.update(block);
        x += spin(i);
      }
      System.out.println("done " + (x + sha.digest()[0]));
    }

    static long spin(long x) {
      for (int k = 0; k < 40; k++) {
        x = x * 31 + k;
      }
      return x;
    }
  }
}
