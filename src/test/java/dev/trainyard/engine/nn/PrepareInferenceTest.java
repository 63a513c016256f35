package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model prepared for serving keeps its dense weights transposed: with a block-invariant
 * GEMM its outputs are bit for bit those of the unprepared model, for one row and for
 * many, and a training-mode pass drops the copy so later weight changes are seen.
 */
class PrepareInferenceTest {

    static Sequential model() {
        return Sequential.build(Shape.of(37), List.of(new LayerSpec.Dense(70), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.Dense(19)), new HeNormal(), 5);
    }

    static Tensor input(int n) {
        Rng rng = new Rng(n);
        float[] x = new float[n * 37];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return Tensor.wrap(x, n, 37);
    }

    static float[] eval(Sequential m, Tensor x) {
        float[][] out = new float[1][];
        Gemm.blockInvariant(() -> out[0] = m.forward(x, false).toArray());
        return out[0];
    }

    @Test
    void preparedOutputsEqualUnpreparedOnesBitForBit() {
        Sequential plain = model();
        Sequential prepared = model();
        prepared.prepareInference();
        for (int n : new int[] { 1, 3, 64, 65, 200 }) {
            Tensor x = input(n);
            assertThat(eval(prepared, x)).as("%d rows", n).containsExactly(eval(plain, x));
        }
    }

    @Test
    void aTrainingPassDropsTheServingCopy() {
        Sequential m = model();
        m.prepareInference();
        Tensor x = input(4);
        float[] before = eval(m, x);
        m.forward(x, true);
        m.parameter("0.weight").value().data()[0] += 1f;
        float[] after = eval(m, x);
        Sequential reference = model();
        reference.forward(x, true);
        reference.parameter("0.weight").value().data()[0] += 1f;
        assertThat(after).isNotEqualTo(before).containsExactly(eval(reference, x));
    }

}
