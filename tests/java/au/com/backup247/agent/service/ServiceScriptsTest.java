package au.com.backup247.agent.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Tests for {@code launch/install-service} and {@code launch/uninstall-service}.
 *
 * <p>Runs the scripts with bash from the repository root (Maven's basedir). A small fake jar is
 * passed with {@code --jar}, so nothing is built, and {@code --unit-dir}/{@code --lib-dir}/
 * {@code --no-enable} keep every real install inside a temporary directory.
 */
class ServiceScriptsTest {

    private static final Path INSTALL = Path.of("launch", "install-service");
    private static final Path UNINSTALL = Path.of("launch", "uninstall-service");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    private static final long TIMEOUT_SECONDS = 30;
    private static final String UNIT_NAME = "b247-agent.service";
    private static final String PLIST_NAME = "au.com.backup247.agent.plist";

    /** Lines of systemd-analyze output that signal a problem. */
    private static final Pattern PROBLEM =
            Pattern.compile("(?i)error|unknown|invalid|failed|ignoring|not executable|bad unit");

    @TempDir Path tmp;

    private Path fakeJar;
    private Path home;

    @BeforeEach
    void setUp() throws IOException {
        assertTrue(Files.isRegularFile(INSTALL),
                INSTALL + " not found; tests must run with the repository root as working directory");
        assertTrue(Files.isRegularFile(UNINSTALL), UNINSTALL + " not found");
        fakeJar = tmp.resolve("fake.jar");
        Files.write(fakeJar, "not really a jar\u0000\u0001\u0002\n".getBytes(UTF_8));
        home = tmp.resolve("agent-home");
    }

    // ------------------------------------------------------------------ systemd

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--system", "--user"})
    void systemdUnit_fromDryRun_passesSystemdAnalyzeVerify(String scope) throws Exception {
        Path libDir = tmp.resolve("lib");
        Result r = run(INSTALL, "--platform", "linux", scope, "--dry-run", "--lib-dir", libDir.toString(),
                "--jar", fakeJar.toString(), "--home", home.toString());
        assertEquals(0, r.exitCode(), r::describe);

        String unit = r.stdout();
        assertTrue(unit.contains("[Unit]") && unit.contains("[Service]") && unit.contains("[Install]"),
                () -> "not a unit file:\n" + unit);
        String execStart = line(unit, "ExecStart=");
        assertTrue(execStart.startsWith("ExecStart=/"), "java path must be absolute: " + execStart);
        assertTrue(execStart.endsWith(" -jar " + systemdWord(libDir.resolve("b247-agent.jar").toString()) + " run"),
                "ExecStart must run the installed jar: " + execStart);
        assertEquals(List.of("Environment=" + systemdWord("B247_HOME=" + home), "Environment=LC_ALL=C.UTF-8"),
                unit.lines().filter(l -> l.startsWith("Environment=")).collect(Collectors.toList()),
                "the home, and a UTF-8 locale so that file names decode correctly");
        assertEquals("Restart=on-failure", line(unit, "Restart="));
        assertEquals("KillSignal=SIGTERM", line(unit, "KillSignal="));
        assertFalse(Pattern.compile("(?m)^ProtectHome=").matcher(unit).find(),
                "the agent must be able to read the user's files");
        assertFalse(Pattern.compile("(?m)^ProtectSystem=").matcher(unit).find(),
                "the agent must be able to read system files");
        assertEquals("--user".equals(scope) ? "WantedBy=default.target" : "WantedBy=multi-user.target",
                line(unit, "WantedBy="));

        Path unitFile = Files.createDirectories(tmp.resolve("dry-run" + scope)).resolve(UNIT_NAME);
        Files.writeString(unitFile, unit);
        List<String> problems = systemdAnalyzeProblems(unitFile);
        assertTrue(problems.isEmpty(), () -> "systemd-analyze verify complained:\n"
                + String.join("\n", problems) + "\n--- unit ---\n" + unit);
    }

    @Test
    void systemdUnit_installedIntoUnitDir_passesSystemdAnalyzeVerify() throws Exception {
        Path unitDir = tmp.resolve("units");
        Path libDir = tmp.resolve("lib");
        Result r = run(INSTALL, "--platform", "linux", "--no-enable",
                "--unit-dir", unitDir.toString(), "--lib-dir", libDir.toString(),
                "--jar", fakeJar.toString(), "--home", home.toString());
        assertEquals(0, r.exitCode(), r::describe);

        Path unitFile = unitDir.resolve(UNIT_NAME);
        assertTrue(Files.isRegularFile(unitFile), r::describe);
        String unit = Files.readString(unitFile);
        assertTrue(line(unit, "ExecStart=").endsWith(
                        " -jar " + systemdWord(libDir.resolve("b247-agent.jar").toString()) + " run"),
                () -> "ExecStart must use the installed jar:\n" + unit);
        List<String> problems = systemdAnalyzeProblems(unitFile);
        assertTrue(problems.isEmpty(), () -> "systemd-analyze verify complained:\n"
                + String.join("\n", problems) + "\n--- unit ---\n" + unit);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relative-exec-path", "bogus-type"})
    void brokenSystemdUnit_isRejectedBySystemdAnalyzeVerify(String breakage) throws Exception {
        Result r = run(INSTALL, "--platform", "linux", "--dry-run",
                "--jar", fakeJar.toString(), "--home", home.toString());
        assertEquals(0, r.exitCode(), r::describe);

        String broken;
        if (breakage.equals("relative-exec-path")) {
            broken = r.stdout().replaceAll("(?m)^ExecStart=.*$", "ExecStart=relative/path run");
        } else {
            broken = r.stdout().replaceAll("(?m)^Type=.*$", "Type=bogus");
        }
        assertNotEquals(r.stdout(), broken, "the unit was not modified");

        Path unitFile = Files.createDirectories(tmp.resolve("broken-" + breakage)).resolve(UNIT_NAME);
        Files.writeString(unitFile, broken);
        List<String> problems = systemdAnalyzeProblems(unitFile);
        assertFalse(problems.isEmpty(),
                () -> "systemd-analyze verify accepted a broken unit (" + breakage + "):\n" + broken);
    }

    // ------------------------------------------------------------------ launchd

    @Test
    void launchdPlist_fromDryRun_isWellFormedWithRequiredKeys() throws Exception {
        Path libDir = tmp.resolve("Application Support/B247/lib");
        Result r = run(INSTALL, "--platform", "macos", "--dry-run", "--lib-dir", libDir.toString(),
                "--jar", fakeJar.toString(), "--home", home.toString());
        assertEquals(0, r.exitCode(), r::describe);
        String xml = r.stdout();
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
                () -> "missing XML declaration:\n" + xml);
        assertTrue(xml.contains("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">"), () -> "missing plist DOCTYPE:\n" + xml);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setValidating(false);
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        Document doc = builder.parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));

        Element plist = doc.getDocumentElement();
        assertEquals("plist", plist.getTagName());
        assertEquals("1.0", plist.getAttribute("version"));
        List<Element> top = childElements(plist);
        assertEquals(1, top.size(), "plist must contain exactly one top-level element");
        Element dict = top.get(0);
        assertEquals("dict", dict.getTagName());

        assertEveryKeyHasAValue(dict);
        for (String key : List.of("Label", "ProgramArguments", "RunAtLoad", "KeepAlive",
                "EnvironmentVariables", "StandardOutPath", "StandardErrorPath")) {
            assertNotNull(value(dict, key), "missing key " + key + " in\n" + xml);
        }

        assertEquals("au.com.backup247.agent", value(dict, "Label").getTextContent());
        assertEquals("true", value(dict, "RunAtLoad").getTagName());

        Element keepAlive = value(dict, "KeepAlive");
        assertEquals("dict", keepAlive.getTagName());
        assertEquals("false", value(keepAlive, "SuccessfulExit").getTagName());

        Element env = value(dict, "EnvironmentVariables");
        assertEquals("dict", env.getTagName());
        assertEquals(home.toString(), value(env, "B247_HOME").getTextContent());

        Element args = value(dict, "ProgramArguments");
        assertEquals("array", args.getTagName());
        List<String> strings = new ArrayList<>();
        for (Element e : childElements(args)) {
            assertEquals("string", e.getTagName(), "ProgramArguments may only hold strings");
            strings.add(e.getTextContent());
        }
        assertEquals(4, strings.size(), "ProgramArguments: " + strings);
        assertTrue(strings.get(0).startsWith("/"), "java path must be absolute: " + strings);
        assertEquals(List.of("-jar", libDir.resolve("b247-agent.jar").toString(), "run"),
                strings.subList(strings.size() - 3, strings.size()));

        assertTrue(value(dict, "StandardOutPath").getTextContent().startsWith(home.resolve("logs") + "/"));
        assertTrue(value(dict, "StandardErrorPath").getTextContent().startsWith(home.resolve("logs") + "/"));
        assertEquals("60", value(dict, "ExitTimeOut").getTextContent());
    }

    // ------------------------------------------------------------------ install / uninstall

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"linux", "macos"})
    void installThenUninstall_writesAndRemovesFiles_andSecondUninstallSaysNothingInstalled(String platform)
            throws Exception {
        Path unitDir = tmp.resolve("units");
        Path libDir = tmp.resolve("lib");
        Path unitFile = unitDir.resolve(platform.equals("linux") ? UNIT_NAME : PLIST_NAME);
        Path installedJar = libDir.resolve("b247-agent.jar");
        String[] dirs = {"--platform", platform, "--no-enable",
                "--unit-dir", unitDir.toString(), "--lib-dir", libDir.toString()};

        Result install = run(INSTALL, concat(dirs, "--jar", fakeJar.toString(), "--home", home.toString()));
        assertEquals(0, install.exitCode(), install::describe);
        assertTrue(Files.isRegularFile(unitFile), () -> "unit not written\n" + install.describe());
        assertTrue(Files.isRegularFile(installedJar), () -> "jar not copied\n" + install.describe());
        assertArrayEquals(Files.readAllBytes(fakeJar), Files.readAllBytes(installedJar),
                "installed jar must be a byte-identical copy");
        assertTrue(install.output().contains(unitFile.toString()), install::describe);
        assertTrue(install.output().contains(installedJar.toString()), install::describe);

        Files.createDirectories(home);
        Result uninstall = run(UNINSTALL, dirs);
        assertEquals(0, uninstall.exitCode(), uninstall::describe);
        assertFalse(Files.exists(unitFile), () -> "unit not removed\n" + uninstall.describe());
        assertFalse(Files.exists(installedJar), () -> "jar not removed\n" + uninstall.describe());
        assertTrue(Files.isDirectory(home), "the agent home must be left in place");
        assertTrue(uninstall.output().contains(home.toString()),
                () -> "uninstall must say where the agent home was left\n" + uninstall.describe());

        Result again = run(UNINSTALL, dirs);
        assertEquals(0, again.exitCode(), again::describe);
        assertTrue(again.output().toLowerCase(Locale.ROOT).contains("nothing is installed"), again::describe);
    }

    @Test
    void dryRun_changesNothing() throws Exception {
        Path unitDir = tmp.resolve("units");
        Path libDir = tmp.resolve("lib");
        for (String platform : List.of("linux", "macos")) {
            Result r = run(INSTALL, "--platform", platform, "--dry-run",
                    "--unit-dir", unitDir.toString(), "--lib-dir", libDir.toString(),
                    "--jar", fakeJar.toString(), "--home", home.toString());
            assertEquals(0, r.exitCode(), r::describe);
            assertFalse(r.stdout().isBlank(), r::describe);
        }
        assertFalse(Files.exists(unitDir), "--dry-run created the unit directory");
        assertFalse(Files.exists(libDir), "--dry-run created the lib directory");
        assertFalse(Files.exists(home), "--dry-run created the agent home");
    }

    // ------------------------------------------------------------------ usage

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"install-service", "uninstall-service"})
    void unknownOption_exitsWith2AndNamesTheOption(String script) throws Exception {
        Result r = run(Path.of("launch", script), "--definitely-not-an-option");
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.output().contains("--definitely-not-an-option"), r::describe);
        assertTrue(r.output().contains("Usage"), r::describe);
    }

    @Test
    void invalidPlatform_exitsWith2() throws Exception {
        Result r = run(INSTALL, "--platform", "windows", "--dry-run", "--jar", fakeJar.toString());
        assertEquals(2, r.exitCode(), r::describe);
        assertTrue(r.output().contains("windows"), r::describe);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"install-service", "uninstall-service"})
    void help_exitsWith0AndListsOptions(String script) throws Exception {
        Result r = run(Path.of("launch", script), "--help");
        assertEquals(0, r.exitCode(), r::describe);
        for (String option : List.of("--platform", "--unit-dir", "--lib-dir", "--no-enable")) {
            assertTrue(r.stdout().contains(option), () -> "help does not mention " + option + "\n" + r.describe());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Result of a finished process; stdout and stderr are captured separately. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Combined output (stdout, then stderr). */
        String output() {
            return stdout + stderr;
        }

        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private Result run(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(script.toString());
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs a command with a 30 s timeout, capturing stdout and stderr. */
    private Result exec(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("B247_HOME");
        pb.environment().remove("SUDO_USER");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command)
                    + "\n--- stdout ---\n" + Files.readString(out) + "--- stderr ---\n" + Files.readString(err));
        }
        return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * Runs {@code systemd-analyze verify} on a unit file and returns the problems found: a non-zero
     * exit code and any output line that mentions the unit and looks like an error or warning.
     */
    private List<String> systemdAnalyzeProblems(Path unitFile) throws IOException, InterruptedException {
        if (!Files.isExecutable(SYSTEMD_ANALYZE)) {
            fail(SYSTEMD_ANALYZE + " not found: install the 'systemd' package "
                    + "(e.g. apt-get install systemd) to verify the generated unit; the CI script installs it");
        }
        Result r = exec(List.of(SYSTEMD_ANALYZE.toString(), "verify", unitFile.toString()));
        String unitName = unitFile.getFileName().toString();
        List<String> problems = r.output().lines()
                .filter(l -> l.contains(unitName) || l.contains(unitFile.toString()))
                .filter(l -> PROBLEM.matcher(l).find())
                .collect(Collectors.toCollection(ArrayList::new));
        if (r.exitCode() != 0) {
            problems.add(0, "systemd-analyze verify exited with " + r.exitCode() + ":\n" + r.output());
        }
        return problems;
    }

    /** The single line of a unit starting with {@code prefix}. */
    private static String line(String unit, String prefix) {
        List<String> lines = unit.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        assertEquals(1, lines.size(), () -> "expected exactly one " + prefix + " line in\n" + unit);
        return lines.get(0);
    }

    /** How the scripts write a word into a unit file: quoted only when it contains whitespace. */
    private static String systemdWord(String word) {
        return word.matches(".*\\s.*") ? '"' + word + '"' : word;
    }

    private static List<Element> childElements(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                result.add((Element) n);
            }
        }
        return result;
    }

    /** In a plist dict, the value element following {@code <key>key</key>}, or null. */
    private static Element value(Element dict, String key) {
        List<Element> children = childElements(dict);
        for (int i = 0; i + 1 < children.size(); i += 2) {
            if (children.get(i).getTextContent().equals(key)) {
                return children.get(i + 1);
            }
        }
        return null;
    }

    /** Every dict (recursively) alternates key / value, with a value element after every key. */
    private static void assertEveryKeyHasAValue(Element element) {
        List<Element> children = childElements(element);
        if (element.getTagName().equals("dict")) {
            assertEquals(0, children.size() % 2, "dict with an odd number of elements");
            for (int i = 0; i < children.size(); i += 2) {
                Element k = children.get(i);
                Element v = children.get(i + 1);
                assertEquals("key", k.getTagName(), "expected <key> at position " + i + " of a dict");
                assertNotEquals("key", v.getTagName(),
                        "key '" + k.getTextContent() + "' is followed by another key instead of a value");
            }
        }
        for (Element child : children) {
            assertEveryKeyHasAValue(child);
        }
    }

    private static String[] concat(String[] first, String... rest) {
        return Stream.concat(Stream.of(first), Stream.of(rest)).toArray(String[]::new);
    }
}
