package dev.trainyard.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
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
        .resideInAnyPackage("org.springframework..", "jakarta..", "org.hibernate..", "com.fasterxml.jackson..")
        .because("the engine is plain Java that the Spring side uses through its public types only");

    /**
     * jackson-core's streaming API reads and writes the engine's JSON; nothing binds
     * data.
     */
    @ArchTest
    static final ArchRule engineUsesOnlyJacksonCore = noClasses().that()
        .resideInAPackage("dev.trainyard.engine..")
        .should()
        .dependOnClassesThat(resideInAPackage("tools.jackson..").and(not(resideInAPackage("tools.jackson.core.."))))
        .because("the engine may stream JSON but not bind it (no jackson-databind)");

}
