package dev.trainyard.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API provider; skipped where {@code jdk.incubator.vector} is not in the JVM.
 */
class PanamaGemmTest extends GemmProviderContract {

    @Override
    GemmProvider provider() {
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not loaded");
        return GemmProviders.load("java");
    }

}
