package au.com.backup247.agent.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Layering rules, checked on the compiled classes. */
class ArchitectureTest {

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
    JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("au.com.backup247.agent");
    repoDoesNotUseVertx("au.com.backup247.agent.repo").check(main);
  }

  @Test
  void rule_catchesAViolation() {
    JavaClasses fixture = new ClassFileImporter().importPackages("au.com.backup247.agent.arch.fixture");
    assertThrows(AssertionError.class,
        () -> repoDoesNotUseVertx("au.com.backup247.agent.arch.fixture.repo").check(fixture));
  }
}
