package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.XavierUniform;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of dInput and every parameter gradient, layer by layer. */
class LayerGradientTest {

    private static void check(Shape example, int batch, LayerSpec... specs) {
        Sequential m = Sequential.build(example, List.of(specs), new XavierUniform(), 11);
        int[] dims = example.withBatch(batch).dims();
        Tensor x = GradientCheck.randomInput(17, dims);
        long[] rngState = m.rng().state();
        // masks are drawn afresh each forward: restoring the RNG makes every probe see
        // the same mask
        new GradientCheck(m, x, 23, () -> m.rng().setState(rngState), 1e-3f, 2e-2).verify();
    }

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        check(Shape.of(2, 5, 6), 3, new LayerSpec.Conv2d(3, 3, 1, 1, null));
        check(Shape.of(2, 7, 5), 2, new LayerSpec.Conv2d(4, 3, 2, 0, null));
        check(Shape.of(3, 6, 6), 2, new LayerSpec.Conv2d(2, 2, 2, 2, null));
    }

    @Test
    void poolGradientsMatchFiniteDifferences() {
        check(Shape.of(2, 6, 6), 2, new LayerSpec.MaxPool(2));
        check(Shape.of(2, 7, 5), 2, new LayerSpec.MaxPool(3, 2));
        check(Shape.of(2, 6, 6), 2, new LayerSpec.AvgPool(2));
        check(Shape.of(2, 7, 5), 2, new LayerSpec.AvgPool(3, 2));
        check(Shape.of(3, 5, 4), 2, new LayerSpec.GlobalAvgPool());
    }

    @Test
    void globalAvgPoolFeedsADenseLayerDirectly() {
        check(Shape.of(2, 5, 4), 3, new LayerSpec.Conv2d(3, 3, 1, 1, null), new LayerSpec.GlobalAvgPool(),
                new LayerSpec.Dense(4));
    }

    @Test
    void flattenPassesGradientsThroughToADenseLayer() {
        check(Shape.of(2, 3, 3), 3, new LayerSpec.Conv2d(2, 2, 1, 0, new HeNormal()), new LayerSpec.Flatten(),
                new LayerSpec.Dense(4));
    }

    @Test
    void batchNormGradientsMatchFiniteDifferencesInTraining() {
        check(Shape.of(5), 6, new LayerSpec.Dense(4), new LayerSpec.BatchNorm(), new LayerSpec.Tanh());
        check(Shape.of(3, 4, 4), 3, new LayerSpec.BatchNorm(), new LayerSpec.Sigmoid());
        check(Shape.of(2, 4, 4), 2, new LayerSpec.Conv2d(3, 3, 1, 1, null), new LayerSpec.BatchNorm());
    }

    @Test
    void biasFreeConv2dGradientsMatchFiniteDifferences() {
        check(Shape.of(2, 5, 6), 3, new LayerSpec.Conv2d(3, 3, 2, 1, false, null));
    }

    @Test
    void residualGradientsMatchFiniteDifferencesThroughBothBranches() {
        // identity shortcut, behind a conv whose gradient flows through both branches
        check(Shape.of(2, 5, 5), 3, new LayerSpec.Conv2d(3, 3, 1, 1, null),
                new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(3, 3, 1, 1, false, null), new LayerSpec.BatchNorm(),
                        new LayerSpec.Tanh(), new LayerSpec.Conv2d(3, 3, 1, 1, false, null))),
                new LayerSpec.Sigmoid());
        // projection: stride 2 and more channels
        check(Shape.of(2, 5, 5), 3, new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(4, 3, 2, 1, false, null),
                new LayerSpec.BatchNorm(), new LayerSpec.Tanh())), new LayerSpec.Sigmoid());
    }

    @Test
    void dropoutGradientsMatchFiniteDifferencesWithAFixedMask() {
        check(Shape.of(8), 5, new LayerSpec.Dense(6), new LayerSpec.Dropout(0.4f), new LayerSpec.Dense(3));
        check(Shape.of(8), 5, new LayerSpec.Dense(6), new LayerSpec.Dropout(0.3f, LayerSpec.DropoutVariant.VANILLA),
                new LayerSpec.Dense(3));
    }

    @Test
    void dropBlockGradientsMatchFiniteDifferencesWithAFixedMask() {
        check(Shape.of(2, 6, 6), 3, new LayerSpec.Conv2d(2, 3, 1, 1, null), new LayerSpec.DropBlock(2, 0.3f, 0));
    }

}
