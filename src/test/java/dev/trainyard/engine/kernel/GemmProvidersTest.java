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
    void defaultOnLinuxAmd64IsAFastProviderAndSaysWhy() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
        GemmProviders.Choice choice = GemmProviders.choose(null);
        assertThat(choice.provider().name()).isIn("native", "java");
        assertThat(choice.degraded()).isFalse();
        assertThat(choice.detail()).startsWith("default: ");
    }

    @Test
    void vectorApiWinsAt512BitsOverOpenBlasKernelsWithoutAvx512() {
        GemmProviders.Decision d = GemmProviders.pick("Haswell", true, 512);
        assertThat(d.pick()).isEqualTo(GemmProviders.Pick.JAVA);
        assertThat(d.reason()).isEqualTo("Vector API at 512 bits, ahead of OpenBLAS core Haswell without AVX-512");
        assertThat(GemmProviders.pick("Zen", true, 512).pick()).isEqualTo(GemmProviders.Pick.JAVA);
        assertThat(GemmProviders.pick("unknown", true, 1024).pick()).isEqualTo(GemmProviders.Pick.JAVA);
    }

    @Test
    void openBlasWinsWithItsOwnAvx512KernelsOrAgainstNarrowerVectors() {
        assertThat(GemmProviders.pick("SkylakeX", true, 512).pick()).isEqualTo(GemmProviders.Pick.NATIVE);
        assertThat(GemmProviders.pick("COOPERLAKE", true, 512).pick()).isEqualTo(GemmProviders.Pick.NATIVE);
        assertThat(GemmProviders.pick("SapphireRapids", true, 512).pick()).isEqualTo(GemmProviders.Pick.NATIVE);
        GemmProviders.Decision avx2 = GemmProviders.pick("Haswell", true, 256);
        assertThat(avx2.pick()).isEqualTo(GemmProviders.Pick.NATIVE);
        assertThat(avx2.reason()).isEqualTo("OpenBLAS core Haswell, Vector API only 256 bits");
        assertThat(GemmProviders.pick("Haswell", false, 0).reason()).isEqualTo("OpenBLAS core Haswell");
    }

    @Test
    void withoutOpenBlasTheVectorApiThenTheReference() {
        assertThat(GemmProviders.pick(null, true, 256)).isEqualTo(
                new GemmProviders.Decision(GemmProviders.Pick.JAVA, "Vector API at 256 bits, OpenBLAS not loaded"));
        assertThat(GemmProviders.pick(null, true, 512))
            .isEqualTo(new GemmProviders.Decision(GemmProviders.Pick.JAVA, "Vector API at 512 bits"));
        assertThat(GemmProviders.pick(null, false, 0).pick()).isEqualTo(GemmProviders.Pick.REFERENCE);
    }

    @Test
    void vectorPathIsUsableUnderTheTestJvmFlags() {
        assumeTrue(Kernels.vectorModulePresent());
        assertThat(GemmProviders.vectorProblem()).isNull();
    }

}
