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

    /**
     * A process killed with SIGKILL runs no shutdown hook: the extracted copy must
     * already be gone once the library is loaded, and the library must keep working
     * without it.
     */
    @Test
    void leavesNoExtractedCopyBehind() {
        GemmProvider loaded = provider();
        OpenBlasLibrary.Loaded library = OpenBlasLibrary.get();
        assumeTrue(library.extractedTo() != null, "a system OpenBLAS, nothing extracted");
        assertThat(library.extractedTo()).doesNotExist();
        float[] a = { 1, 2, 3, 4 };
        float[] b = { 5, 6, 7, 8 };
        float[] c = new float[4];
        loaded.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(19, 22, 43, 50);
    }

    @Test
    void describesWhereTheLibraryCameFrom() {
        assertThat(((NativeGemm) provider()).description()).contains("core");
        assertThat(provider().name()).isEqualTo("native");
    }

}
