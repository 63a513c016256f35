package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropoutTest {

    private static float[] trainOutput(int threads, int rows) {
        float[][] out = new float[1][];
        try (ComputePool pool = ComputePool.create(threads)) {
            ComputePool.runWith(pool, () -> {
                Sequential m = Sequential.build(Shape.of(1000), List.of(new LayerSpec.Dropout(0.25f)), null, 12);
                out[0] = m.forward(GradientCheck.randomInput(1, rows, 1000), true).toArray();
            });
        }
        return out[0];
    }

    @Test
    void masksSpanningManyChunksAreTheSameForAnyThreadCount() {
        float[] one = trainOutput(1, 77); // 77,000 values: several chunks and an odd tail
        assertThat(trainOutput(2, 77)).containsExactly(one);
        assertThat(trainOutput(5, 77)).containsExactly(one);
    }

    @Test
    void aPartialBatchDrawsTheMaskOfItsOwnSize() {
        float[] small = trainOutput(2, 3);
        assertThat(small).hasSize(3000);
        long zeros = 0;
        for (float v : small) {
            zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros).isBetween(600L, 900L);
    }

    @Test
    void successiveTrainingStepsDrawDifferentMasks() {
        Sequential m = Sequential.build(Shape.of(100), List.of(new LayerSpec.Dropout(0.5f)), null, 2);
        Tensor x = Tensor.zeros(4, 100);
        x.fill(1f);
        float[] a = m.forward(x, true).toArray();
        float[] b = m.forward(x, true).toArray();
        assertThat(b).isNotEqualTo(a);
    }

}
