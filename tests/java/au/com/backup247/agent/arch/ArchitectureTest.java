package au.com.backup247.agent.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layering rules, checked on the compiled classes. */
class ArchitectureTest {
  private static JavaClasses main;

  /** The main classes, imported once for all the rules (each import reads every class file). */
  private static synchronized JavaClasses main() {
    if (main == null) {
      main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("au.com.backup247.agent");
    }
    return main;
  }

  /** The repository format must stay usable without Vert.x (offline CLI, other runtimes). */
  static ArchRule repoDoesNotUseVertx(String repoPackage) {
    return noClasses().that().resideInAPackage(repoPackage + "..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
        .allowEmptyShould(true)
        .because("the repository format is plain Java shared by the agent and the offline CLI");
  }

  /**
   * Bandwidth control (rates, buckets, the store decorator, the sets' buckets) is used by the jobs,
   * the CLI and the pipeline and knows none of them, nor the sets or destinations that use it, nor Vert.x.
   */
  static ArchRule bandwidthIsALeaf(String root) {
    return noClasses().that().resideInAPackage(root + ".bandwidth..")
        .should().dependOnClassesThat().resideInAnyPackage(root + ".jobs..", root + ".api..", root + ".cli..",
            root + ".pipeline..", root + ".sets..", root + ".destination..", "io.vertx..")
        .allowEmptyShould(true)
        .because("bandwidth control is one package that the jobs, the CLI and the pipeline use, not the reverse");
  }

  @Test
  void bandwidth_dependsOnNoJobsApiCliPipelineSetsOrDestinations() {
    JavaClasses bandwidth = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("au.com.backup247.agent.bandwidth");
    bandwidthIsALeaf("au.com.backup247.agent").check(bandwidth);
  }

  @Test
  void bandwidthRule_catchesAViolation() {
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> bandwidthIsALeaf("au.com.backup247.agent.arch.fixture").check(fixture));
  }

  @Test
  void repoPackage_importsNothingFromVertx() {
    JavaClasses main = main();
    repoDoesNotUseVertx("au.com.backup247.agent.repo").check(main);
  }

  @Test
  void rule_catchesAViolation() {
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class,
        () -> repoDoesNotUseVertx("au.com.backup247.agent.arch.fixture.repo").check(fixture));
  }

  /** Destinations are a lower layer: they know nothing of jobs, the pipeline, the API or the CLI. */
  static ArchRule storeDoesNotUseUpperLayers(String root, String storePackage) {
    return noClasses().that().resideInAPackage(storePackage + "..")
        .should().dependOnClassesThat().resideInAnyPackage(root + ".jobs..", root + ".pipeline..", root + ".api..",
            root + ".cli..")
        .allowEmptyShould(true)
        .because("a destination is used by jobs, the pipeline and the CLI, never the other way round");
  }

  /**
   * The packages under {@code top} (and {@code top} itself) depend one way: for the store, backends on
   * the SPI, never the SPI on a backend, nor one on another; for the repository, the format on the
   * store SPI, never a store on the format (both use {@code repo.error}).
   */
  static ArchRule packagesHaveNoCycles(String top) {
    SliceAssignment eachPackage = new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        return p.equals(top) || p.startsWith(top + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of " + top;
      }
    };
    return slices().assignedFrom(eachPackage).should().beFreeOfCycles().allowEmptyShould(true);
  }

  @Test
  void storeAndDestinationPackages_doNotUseJobsPipelineApiOrCli() {
    JavaClasses main = main();
    storeDoesNotUseUpperLayers("au.com.backup247.agent", "au.com.backup247.agent.repo.store").check(main);
    storeDoesNotUseUpperLayers("au.com.backup247.agent", "au.com.backup247.agent.destination").check(main);
  }

  /**
   * Every package of the agent, the entry point's included, depends one way: a lower package (the
   * build's version, the home folder, the settings) never reaches back to one that uses it.
   */
  @Test
  void allPackages_haveNoCycles() {
    packagesHaveNoCycles("au.com.backup247.agent").check(main());
  }

  @Test
  void cycleRule_onTheWholeTree_catchesAViolation() { // fixture.repo ↔ fixture.repo.store, seen from the top
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> packagesHaveNoCycles("au.com.backup247.agent.arch.fixture")
        .check(fixture));
  }

  @Test
  void repoCycleRule_catchesAViolation() { // fixture.repo.Opens uses fixture.repo.store, whose failure extends fixture.repo's
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> packagesHaveNoCycles("au.com.backup247.agent.arch.fixture.repo")
        .check(fixture));
  }

  @Test
  void storeRules_catchTheirViolations() {
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    String root = "au.com.backup247.agent.arch.fixture";
    assertThrows(AssertionError.class, () -> storeDoesNotUseUpperLayers(root, root + ".store").check(fixture));
    assertThrows(AssertionError.class, () -> packagesHaveNoCycles(root + ".store").check(fixture));
  }

  /**
   * Reactor serves inside a stage (restore's bounded, ordered decoding; the Azure SDK's own API), never
   * between stages: what crosses the bus are its messages and futures, not publishers.
   */
  static ArchRule reactorStaysInsideStages(String root) {
    return noClasses().that().resideOutsideOfPackages(root + ".restore..", root + ".repo.store.azure..")
        .and().resideInAPackage(root + "..")
        .should().dependOnClassesThat().resideInAPackage("reactor..")
        .allowEmptyShould(true)
        .because("Reactor earns its place inside a stage; stages talk over the event bus");
  }

  @Test
  void reactor_isUsedOnlyInsideRestoreAndTheAzureStore() {
    reactorStaysInsideStages("au.com.backup247.agent").check(main());
  }

  @Test
  void reactorRule_catchesAViolation() { // fixture.pipeline.SendsFlux hands a Flux to the next stage
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> reactorStaysInsideStages("au.com.backup247.agent.arch.fixture")
        .check(fixture));
  }

  /** The source folders under {@code root} that hold Java files but no {@code package-info.java}. */
  static List<Path> packagesWithoutInfo(Path root) throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      return dirs.filter(Files::isDirectory).filter(d -> {
        try (Stream<Path> files = Files.list(d)) {
          return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).filter(d -> !Files.exists(d.resolve("package-info.java"))).map(root::relativize).sorted().toList();
    }
  }

  /** Every package says what it is for and what it promises (STYLE: a package-info per package). */
  @Test
  void everyPackage_hasAPackageInfo() throws IOException {
    Path sources = Path.of("src/main/java");
    assertTrue(Files.isDirectory(sources.resolve("au/com/backup247/agent")), "run from the project's folder");
    assertEquals(List.of(), packagesWithoutInfo(sources), "packages without a package-info.java");
  }

  @Test
  void packageInfoRule_catchesAViolation(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/package-info.java"), "package a;\n");
    Files.writeString(dir.resolve("a/A.java"), "package a;\nclass A {}\n");
    Files.writeString(dir.resolve("a/b/B.java"), "package a.b;\nclass B {}\n");
    assertEquals(List.of(Path.of("a/b")), packagesWithoutInfo(dir));
  }

  /**
   * A verticle is thin: it binds event-bus addresses, routes or timers to the classes that do the
   * work and does no blocking I/O itself, not even inside {@code executeBlocking} (the work belongs in
   * a class of its own that a test can call without Vert.x). Checked on verticles (classes that are a
   * Vert.x {@code Deployable} or {@code Verticle}) and the classes nested in them (their lambdas are
   * compiled into them): no file, file-channel, JDBC or socket classes, and no {@code Thread.sleep}.
   */
  static ArchRule verticlesStayThin(String root) {
    DescribedPredicate<JavaClass> verticle = new DescribedPredicate<>("verticles and the classes nested in them") {
      @Override
      public boolean test(JavaClass c) {
        for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
          if (k.get().isAssignableTo("io.vertx.core.Deployable") || k.get().isAssignableTo("io.vertx.core.Verticle")) {
            return true;
          }
        }
        return false;
      }
    };
    DescribedPredicate<JavaClass> blockingIo = JavaClass.Predicates.belongToAnyOf(java.nio.file.Files.class,
            java.nio.channels.FileChannel.class, java.nio.channels.AsynchronousFileChannel.class,
            java.io.FileInputStream.class, java.io.FileOutputStream.class, java.io.FileReader.class,
            java.io.FileWriter.class, java.io.RandomAccessFile.class, java.net.Socket.class,
            java.net.ServerSocket.class, java.net.URLConnection.class)
        .or(JavaClass.Predicates.resideInAnyPackage("java.sql..", "javax.sql.."))
        .as("are file, file-channel, JDBC or socket classes");
    return noClasses().that().resideInAPackage(root + "..").and(verticle)
        .should().dependOnClassesThat(blockingIo)
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .allowEmptyShould(true)
        .because("a verticle binds the bus to classes that do the work; blocking I/O lives in those classes");
  }

  @Test
  void verticles_doNoBlockingIoThemselves() {
    verticlesStayThin("au.com.backup247.agent").check(main());
  }

  @Test
  void verticleRule_catchesAViolation() { // fixture.verticle.ReadsFiles reads a file in its start
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> verticlesStayThin("au.com.backup247.agent.arch.fixture").check(fixture));
  }

  /** The packages of the domain: what a backup, a restore, a check and a repository are, below any driver. */
  static final String[] DOMAIN = {".repo..", ".backup..", ".restore..", ".integrity..", ".prune..", ".retention..",
      ".destination..", ".bandwidth..", ".fs..", ".schedule.."};

  /** The domain knows nothing of the jobs that run it, the API that exposes it or the CLI that drives it. */
  static ArchRule domainDoesNotUseDrivers(String root) {
    return noClasses().that().resideInAnyPackage(java.util.Arrays.stream(DOMAIN).map(d -> root + d)
            .toArray(String[]::new))
        .should().dependOnClassesThat().resideInAnyPackage(root + ".jobs..", root + ".api..", root + ".cli..")
        .allowEmptyShould(true)
        .because("jobs, the API and the CLI use the domain, never the other way round");
  }

  @Test
  void domainPackages_doNotUseJobsApiOrCli() {
    JavaClasses main = main();
    domainDoesNotUseDrivers("au.com.backup247.agent").check(main);
  }

  @Test
  void domainRule_catchesAViolation() { // fixture.bandwidth.UsesJobs calls fixture.jobs.Runner
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class, () -> domainDoesNotUseDrivers("au.com.backup247.agent.arch.fixture").check(fixture));
  }
}
