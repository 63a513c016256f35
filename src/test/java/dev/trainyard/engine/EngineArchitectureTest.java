package dev.trainyard.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine is a library that could ship alone: plain Java, no frameworks. */
@AnalyzeClasses(packages = "dev.trainyard.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {

    @ArchTest
    static final ArchRule engineDependsOnNoFramework = noClasses().that()
        .resideInAPackage("dev.trainyard.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta..", "org.hibernate..", "com.fasterxml.jackson..",
                "tools.jackson..")
        .because("the engine is plain Java that the Spring side uses through its public types only");

}
