package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class GemmProvidersTest {

    @Test
    void propertyForcesTheNamedProvider() {
        assertThat(GemmProviders.choose("reference").provider().name()).isEqualTo("reference");
        assertThat(GemmProviders.choose(" Reference ").detail()).contains("forced by trainyard.engine.blas");
        assumeTrue(Kernels.vectorModulePresent());
        assertThat(GemmProviders.choose("java").provider().name()).isEqualTo("java");
    }

    @Test
    void unknownProviderNameIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> GemmProviders.choose("mkl")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("native, java or reference")
            .hasMessageContaining("mkl");
    }

    @Test
    void defaultIsNativeWhereOpenBlasShipsAndIsNotDegraded() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
        GemmProviders.Choice choice = GemmProviders.choose(null);
        assertThat(choice.provider().name()).isEqualTo("native");
        assertThat(choice.degraded()).isFalse();
    }

    @Test
    void vectorPathIsUsableUnderTheTestJvmFlags() {
        assumeTrue(Kernels.vectorModulePresent());
        assertThat(GemmProviders.vectorProblem()).isNull();
    }

}
