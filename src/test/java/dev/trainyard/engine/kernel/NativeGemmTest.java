package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenBLAS provider; must load on linux-x86_64, where the bundled binary ships in the
 * bytedeco jar.
 */
class NativeGemmTest extends GemmProviderContract {

    private static GemmProvider gemm;

    private static String failure;

    @BeforeAll
    static void load() {
        try {
            gemm = new NativeGemm();
        }
        catch (UnsatisfiedLinkError | IllegalStateException e) {
            failure = e.getMessage();
        }
    }

    @Override
    GemmProvider provider() {
        boolean bundledPlatform = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").equals("amd64");
        if (bundledPlatform) {
            assertThat(failure).as("OpenBLAS must load from the bundled jar on linux-x86_64").isNull();
        }
        assumeTrue(gemm != null, () -> "no OpenBLAS here: " + failure);
        return gemm;
    }

    /**
     * OpenBLAS chooses its kernels by the shape of the block (the facade's fixed tiles
     * keep it deterministic), so it must not claim block invariance.
     */
    @Test
    void doesNotClaimBlockInvariance() {
        assertThat(provider().blockInvariant()).isFalse();
    }

    @Test
    void describesWhereTheLibraryCameFrom() {
        assertThat(((NativeGemm) provider()).description()).contains("core");
        assertThat(provider().name()).isEqualTo("native");
    }

}
