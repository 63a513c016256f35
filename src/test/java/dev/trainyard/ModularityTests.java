package dev.trainyard;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The service modules (each direct sub-package of {@code dev.trainyard}) have no cycles
 * and use one another only through their public API, never through {@code internal}
 * packages.
 */
class ModularityTests {

    /*
     * The engine is left out of module detection. It is a plain-Java library whose
     * sub-packages (tensor, kernel, nn, ...) are its public API, while Modulith would
     * take `engine` for one more application module and its sub-packages for internals
     * that the service modules may not touch. It also cannot declare otherwise: a
     * Modulith annotation would make it depend on Spring, which it must not
     * (EngineArchitectureTest guards the engine instead).
     */
    static final ApplicationModules modules = ApplicationModules.of(TrainyardApplication.class,
            JavaClass.Predicates.resideInAPackage("dev.trainyard.engine.."));

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        // under target/spring-modulith-docs: a diagram of all modules, one per module
        // and a canvas of each module's API; docs/modules holds a copy of them
        // (docs/architecture.md says how to refresh it)
        new Documenter(modules).writeDocumentation();
    }

}
