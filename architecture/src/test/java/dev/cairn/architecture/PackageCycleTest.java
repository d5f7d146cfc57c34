package dev.cairn.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No package cycles anywhere: every package of every module is its own slice, and no two may reach each
 * other. Maven already forbids cycles between modules; inside a module only this test does.
 */
@AnalyzeClasses(packages = "dev.cairn", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCycleTest {

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("dev.cairn.(**)").should().beFreeOfCycles();
}
