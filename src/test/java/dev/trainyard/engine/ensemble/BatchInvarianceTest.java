package dev.trainyard.engine.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Predictions are served in batches of whatever requests are waiting, so an instance's
 * probabilities must not depend on the other rows of its batch: under
 * {@link Gemm#blockInvariant(Runnable)} every row of a batch has exactly the bits it has
 * alone, for an MLP and a CNN, both with batch norm (running statistics) and dropout.
 */
class BatchInvarianceTest {

    private static Sequential model(boolean convolutional) {
        List<LayerSpec> layers = convolutional
                ? List.of(new LayerSpec.Conv2d(8, 3, 1, 1, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                        new LayerSpec.MaxPool(2), new LayerSpec.Flatten(), new LayerSpec.Dense(16),
                        new LayerSpec.Relu(), new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(10))
                : List.of(new LayerSpec.Flatten(), new LayerSpec.Dense(96), new LayerSpec.BatchNorm(),
                        new LayerSpec.Relu(), new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(40),
                        new LayerSpec.BatchNorm(), new LayerSpec.Relu(), new LayerSpec.Dense(10));
        Sequential m = Sequential.build(Shape.of(1, 12, 12), layers, new HeNormal(), 4);
        Rng rng = new Rng(8);
        m.state().forEach((name, t) -> {
            if (name.contains("running")) {
                for (int i = 0; i < t.size(); i++) {
                    t.data()[t.offset() + i] = name.endsWith("running_var") ? 0.5f + (float) rng.nextDouble()
                            : (float) rng.nextGaussian();
                }
            }
        });
        return m;
    }

    @ParameterizedTest(name = "convolutional={0}")
    @ValueSource(booleans = { false, true })
    void everyRowOfABatchHasTheBitsItHasAlone(boolean convolutional) {
        Sequential model = model(convolutional);
        int n = 37;
        int features = 144;
        Rng rng = new Rng(11);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[][] batch = new float[1][];
        Gemm.blockInvariant(() -> batch[0] = ClassProbabilities.predict(model, Tensor.wrap(x, n, 1, 12, 12)).toArray());
        for (int row = 0; row < n; row++) {
            float[] one = Arrays.copyOfRange(x, row * features, (row + 1) * features);
            float[][] alone = new float[1][];
            Gemm.blockInvariant(
                    () -> alone[0] = ClassProbabilities.predict(model, Tensor.wrap(one, 1, 1, 12, 12)).toArray());
            assertThat(alone[0]).as("row %d", row)
                .containsExactly(Arrays.copyOfRange(batch[0], row * 10, row * 10 + 10));
        }
        assertThat(Kernels.blockInvariantGemm().blockInvariant()).isTrue();
    }

}
