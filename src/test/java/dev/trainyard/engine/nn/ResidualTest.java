package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidualTest {

    private static final LayerSpec BIAS_FREE_3X3 = new LayerSpec.Conv2d(2, 3, 1, 1, false, null);

    private static Tensor ramp(int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (i % 7) - 3f;
        }
        return t;
    }

    @Test
    void anIdentityBlockWithAZeroBodyPassesItsInputAndDoublesTheGradient() {
        Sequential m = Sequential.build(Shape.of(2, 4, 4), List.of(new LayerSpec.Residual(List.of(BIAS_FREE_3X3))),
                new Zeros(), 1);
        m.setInputGradientNeeded(true);
        Tensor x = ramp(3, 2, 4, 4);
        assertThat(m.forward(x, true).toArray()).containsExactly(x.toArray());
        Tensor dy = ramp(3, 2, 4, 4);
        float[] dx = m.backward(dy).toArray();
        for (int i = 0; i < dx.length; i++) {
            // the zero conv passes no gradient; the identity passes dy
            assertThat(dx[i]).isEqualTo(dy.data()[i]);
        }
        assertThat(((Residual) m.layer(0)).shortcut()).isEmpty();
    }

    @Test
    void aBiasFreeConvHasNoBiasTensor() {
        Sequential m = Sequential.build(Shape.of(3, 5, 5), List.of(new LayerSpec.Conv2d(4, 3, 1, 1, false, null)),
                new HeNormal(), 1);
        assertThat(m.parameterNames()).containsExactly("0.weight");
        assertThat(m.parameterCount()).isEqualTo(4 * 3 * 3 * 3);
        assertThat(((Conv2d) m.layer(0)).bias()).isNull();
    }

    @Test
    void aProjectingBlockNamesItsTensorsAsPyTorchsModule() {
        LayerSpec block = new LayerSpec.Residual(
                List.of(new LayerSpec.Conv2d(16, 3, 2, 1, false, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                        new LayerSpec.Conv2d(16, 3, 1, 1, false, null), new LayerSpec.BatchNorm()));
        Sequential m = Sequential.build(Shape.of(3, 8, 8),
                List.of(new LayerSpec.Conv2d(8, 3, 1, 1, null), block, new LayerSpec.Relu()), new HeNormal(), 1);
        assertThat(m.layer(1).outputShape()).isEqualTo(Shape.of(16, 4, 4));
        assertThat(m.parameterNames()).containsExactly("0.weight", "0.bias", "1.body.0.weight", "1.body.1.weight",
                "1.body.1.bias", "1.body.3.weight", "1.body.4.weight", "1.body.4.bias", "1.shortcut.0.weight",
                "1.shortcut.1.weight", "1.shortcut.1.bias");
        assertThat(m.parameter("1.shortcut.0.weight").shape()).isEqualTo(Shape.of(16, 8, 1, 1));
        assertThat(m.state().keySet()).containsExactly("1.body.1.running_mean", "1.body.1.running_var",
                "1.body.4.running_mean", "1.body.4.running_var", "1.shortcut.1.running_mean",
                "1.shortcut.1.running_var");
        assertThat(m.batchNormCounters().keySet()).containsExactly("1.body.1.num_batches_tracked",
                "1.body.4.num_batches_tracked", "1.shortcut.1.num_batches_tracked");
        long params = 16 * 8 * 9 + 2 * 16 + 16 * 16 * 9 + 2 * 16 + 16 * 8 + 2 * 16;
        assertThat(m.layer(1).parameterCount()).isEqualTo(params);
        assertThat(m.summary().rows().get(1).parameters()).isEqualTo(params);

        m.forward(ramp(4, 3, 8, 8), true);
        assertThat(m.batchNormCounters()).containsEntry("1.shortcut.1.num_batches_tracked", 1L);
        m.setBatchNormCounter("1.body.4.num_batches_tracked", 7);
        assertThat(m.batchNormCounters()).containsEntry("1.body.4.num_batches_tracked", 7L);
        assertThatThrownBy(() -> m.setBatchNormCounter("1.body.2.num_batches_tracked", 1))
            .hasMessageStartingWith("no batch norm counter 1.body.2.num_batches_tracked");
    }

    @Test
    void theProjectionStrideTakesTheInputSizeToTheOutputSize() {
        assertThat(Residual.projectionStride(8, 8, 4, 4)).isEqualTo(2);
        assertThat(Residual.projectionStride(7, 7, 4, 4)).isEqualTo(2);
        assertThat(Residual.projectionStride(9, 6, 3, 2)).isEqualTo(3);
        assertThat(Residual.projectionStride(4, 4, 3, 3)).isZero();
        assertThat(Residual.projectionStride(4, 4, 5, 5)).isZero();
    }

    @Test
    void shapesThatNoStridedOneByOneConvReconcilesAreRefusedAtTheLayers() {
        // (2, 4, 4) -> (2, 3, 3): no stride takes 4 to 3
        assertThatThrownBy(() -> Sequential.build(Shape.of(2, 4, 4),
                List.of(new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(2, 2)))), new HeNormal(), 1))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isZero();
                assertThat(e.path()).containsExactly("layers");
                assertThat(e.reason()).contains("(2, 4, 4) into (2, 3, 3)").contains("no strided 1x1 convolution");
            });
        // flat input: only the identity could add
        assertThatThrownBy(() -> Sequential.build(Shape.of(8),
                List.of(new LayerSpec.Residual(List.of(new LayerSpec.Dense(4)))), new HeNormal(), 1))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> assertThat(e.path()).containsExactly("layers"));
    }

    @Test
    void aSubLayerThatDoesNotFitIsRefusedAtItsPosition() {
        assertThatThrownBy(() -> Sequential.build(Shape.of(2, 4, 4),
                List.of(new LayerSpec.Relu(),
                        new LayerSpec.Residual(List.of(new LayerSpec.Relu(), new LayerSpec.Conv2d(2, 7)))),
                new HeNormal(), 1))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.path()).containsExactly("layers", 1);
                assertThat(e.reason()).startsWith("layers[1]: kernel 7 with padding 0 does not fit input");
            });
    }

    @Test
    void monteCarloDrawsTheBodysDropoutAndLeavesItsBatchNormAlone() {
        Sequential m = Sequential.build(Shape.of(6),
                List.of(new LayerSpec.Residual(List.of(new LayerSpec.BatchNorm(), new LayerSpec.Dropout(0.5f)))),
                new HeNormal(), 3);
        assertThat(m.layer(0).stochastic()).isTrue();
        Tensor x = ramp(4, 6);
        float[] first = m.forwardMonteCarlo(x).toArray();
        float[] second = m.forwardMonteCarlo(x).toArray();
        assertThat(first).isNotEqualTo(second);
        assertThat(m.batchNormCounters()).containsEntry("0.body.0.num_batches_tracked", 0L);
        assertThat(m.state().get("0.body.0.running_mean").toArray()).containsOnly(0f);
        // test mode: no dropout, running statistics (mean 0, var 1): y = x / sqrt(1 +
        // eps) + x
        float[] test = m.forward(x, false).toArray();
        assertThat(test[0]).isCloseTo(2 * x.data()[0], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void epochsReachTheBodysDropBlock() {
        Sequential m = Sequential.build(Shape.of(2, 6, 6),
                List.of(new LayerSpec.Residual(List.of(new LayerSpec.DropBlock(2, 0.4f, 4)))), new HeNormal(), 3);
        m.startEpoch(2);
        assertThat(((DropBlock) ((Residual) m.layer(0)).body().getFirst()).currentRate()).isCloseTo(0.2f,
                org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void aFirstBlockComputesNoInputGradientButStillItsParameterGradients() {
        Sequential m = Sequential.build(Shape.of(2, 6, 6),
                List.of(new LayerSpec.Residual(
                        List.of(new LayerSpec.Conv2d(4, 3, 2, 1, false, null), new LayerSpec.BatchNorm()))),
                new HeNormal(), 5);
        Residual block = (Residual) m.layer(0);
        assertThat(block.body().getFirst().inputGradientNeeded()).isFalse();
        assertThat(block.shortcut().getFirst().inputGradientNeeded()).isFalse();
        Tensor y = m.forward(ramp(2, 2, 6, 6), true);
        m.zeroGrad();
        assertThat(m.backward(ramp(y.shape().dims()))).isNull();
        assertThat(m.parameter("0.shortcut.0.weight").grad().toArray()).isNotEqualTo(new float[4 * 2]);
        m.setInputGradientNeeded(true);
        assertThat(block.body().getFirst().inputGradientNeeded()).isTrue();
        assertThat(m.backward(ramp(y.shape().dims())).shape()).isEqualTo(Shape.of(2, 2, 6, 6));
    }

}
