package dev.cairn.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules must be able to fail: run over the production classes plus a few test-only classes that break
 * them on purpose ({@code *.archfixture} packages, never seen by the real rules, which skip test classes),
 * each rule names the offender.
 */
class RulesCatchViolationsTest {
  private static JavaClasses withFixtures;

  @BeforeAll
  static void importProductionAndFixtures() {
    withFixtures = new ClassFileImporter().importPackages("dev.cairn");
  }

  @Test
  void p2pReachingIntoTheLedgerModelBreaksTheModuleRules() {
    assertViolates(ModuleDependencyTest.modulesDependOnlyOnTheModulesUnderThem, "KnowsBlocks");
    assertViolates(ModuleDependencyTest.p2pSeesKeysButNoLedger, "KnowsBlocks");
  }

  @Test
  void aClockOrAThreadInConsensusBreaksThePurityRules() {
    assertViolates(PurityTest.pureCodeReadsNoClock, "ReadsTheClock");
    assertViolates(PurityTest.pureCodeStartsNoThread, "ReadsTheClock");
  }

  @Test
  void twoPackagesThatUseEachOtherBreakTheCycleRule() {
    assertViolates(PackageCycleTest.noPackageCycles, "archfixture");
  }

  private static void assertViolates(ArchRule rule, String offender) {
    assertThatThrownBy(() -> rule.check(withFixtures)).isInstanceOf(AssertionError.class).hasMessageContaining(offender);
  }
}
