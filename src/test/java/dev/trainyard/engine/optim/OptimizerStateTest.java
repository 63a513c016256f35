package dev.trainyard.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.backend.ComputePool;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class OptimizerStateTest {

    private static final int SIZE = 40_000; // several chunks

    @Test
    void restoredStateContinuesBitIdentically() {
        check((p, g) -> new Sgd(p, g, 0.05, 0.9f, true, 1e-3f));
        check((p, g) -> new Adam(p, g, 0.01));
        check((p, g) -> new AdamW(p, g, 0.01));
    }

    private static void check(BiFunction<float[], float[], Optimizer> make) {
        float[] p1 = random(1, SIZE);
        float[] g1 = new float[SIZE];
        Optimizer a = make.apply(p1, g1);
        for (int s = 0; s < 5; s++) {
            System.arraycopy(random(100 + s, SIZE), 0, g1, 0, SIZE);
            a.step();
        }
        // the same run, interrupted after 2 steps and continued by a new optimizer from
        // exported state
        float[] p2 = random(1, SIZE);
        float[] g2 = new float[SIZE];
        Optimizer b = make.apply(p2, g2);
        for (int s = 0; s < 2; s++) {
            System.arraycopy(random(100 + s, SIZE), 0, g2, 0, SIZE);
            b.step();
        }
        OptimizerState saved = b.exportState();
        float[] p3 = p2.clone();
        Optimizer c = make.apply(p3, g2);
        c.importState(saved);
        for (int s = 2; s < 5; s++) {
            System.arraycopy(random(100 + s, SIZE), 0, g2, 0, SIZE);
            c.step();
        }
        assertThat(p3).as(a.kind()).isEqualTo(p1);
        assertThat(c.steps()).isEqualTo(5);
    }

    @Test
    void updatesAreBitIdenticalForAnyThreadCount() {
        float[] reference = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[] p = random(3, SIZE);
            float[] g = random(4, SIZE);
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Optimizer opt = new AdamW(p, g, 0.01);
                    opt.step();
                    opt.step();
                });
            }
            if (reference == null) {
                reference = p;
            }
            else {
                assertThat(p).as("%d threads", threads).isEqualTo(reference);
            }
        }
    }

    @Test
    void exemptRangesAcrossChunksDecayExactlyTheOtherElementsForAnyThreadCount() {
        int n = 3 * Optimizer.CHUNK + 5;
        float[] reference = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[] p = random(5, n);
            float[] g = new float[n];
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Optimizer opt = new Sgd(p, g, 0.5, 0f, false, 0.5f);
                    // given out of order and overlapping; one straddles a chunk bound
                    opt.exemptFromWeightDecay(Optimizer.CHUNK - 3, Optimizer.CHUNK + 4)
                        .exemptFromWeightDecay(10, 20)
                        .exemptFromWeightDecay(15, 30)
                        .exemptFromWeightDecay(n - 1, n);
                    opt.step();
                });
            }
            float[] start = random(5, n);
            for (int i = 0; i < n; i++) {
                boolean exempt = (i >= 10 && i < 30) || (i >= Optimizer.CHUNK - 3 && i < Optimizer.CHUNK + 4)
                        || i == n - 1;
                // zero gradients: decayed elements shrink by 1 - 0.5 * 0.5 * ..., others
                // stay
                float expected = exempt ? start[i] : start[i] - 0.5f * (0.5f * start[i]);
                assertThat(p[i]).as("element %d, %d threads", i, threads).isEqualTo(expected);
            }
            if (reference == null) {
                reference = p;
            }
            else {
                assertThat(p).as("%d threads", threads).isEqualTo(reference);
            }
        }
    }

    @Test
    void stateOfAnotherKindIsRejected() {
        float[] p = new float[3];
        OptimizerState adam = new Adam(p, new float[3], 0.1).exportState();
        assertThatThrownBy(() -> new Sgd(p, new float[3], 0.1, 0.9f, false, 0f).importState(adam))
            .hasMessageContaining("optimizer state of kind adam cannot restore sgd");
    }

    @Test
    void mismatchedBuffersAreRejected() {
        assertThatThrownBy(() -> new Sgd(new float[3], new float[4], 0.1))
            .hasMessageContaining("parameter buffer has 3 values but gradient buffer 4");
    }

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

}
