package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The Vector API provider; skipped where {@code jdk.incubator.vector} is not in the JVM.
 */
class PanamaGemmTest extends GemmProviderContract {

    @Override
    GemmProvider provider() {
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not loaded");
        return GemmProviders.load("java");
    }

    /**
     * Virtual threads borrow packing buffers from a shared pool instead of a thread-local
     * each: many of them at once still get exactly the platform thread's bits.
     */
    @Test
    void virtualThreadsShareBuffersAndGetTheSameBits() throws Exception {
        GemmProvider gemm = provider();
        Problem reference = Problem.random(70, 90, 300, false, true, 12);
        reference.run(gemm, 1f, 0f);
        float[] expected = reference.cMatrix();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(virtual.submit(() -> {
                    Problem p = Problem.random(70, 90, 300, false, true, 12);
                    p.run(gemm, 1f, 0f);
                    return p.cMatrix();
                }));
            }
            for (Future<float[]> r : results) {
                assertThat(r.get()).containsExactly(expected);
            }
        }
    }

}
