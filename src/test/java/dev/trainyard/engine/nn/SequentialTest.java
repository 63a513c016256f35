package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {

    private static Sequential mlp(long seed) {
        return Sequential.build(Shape.of(6),
                List.of(new LayerSpec.Dense(5), new LayerSpec.Relu(), new LayerSpec.Dense(3)), new HeNormal(), seed);
    }

    @Test
    void parametersAreNamedLikeTorchStateDictAndLaidOutContiguously() {
        Sequential m = mlp(1);
        assertThat(m.parameterNames()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(m.parameterCount()).isEqualTo(6 * 5 + 5 + 5 * 3 + 3);
        assertThat(m.parameter("2.weight").offset()).isEqualTo(35);
        assertThat(m.parameter("2.weight").shape()).isEqualTo(Shape.of(3, 5));
    }

    @Test
    void parameterTensorsAreViewsIntoTheFlatBuffers() {
        Sequential m = mlp(1);
        Parameter w = m.parameter("2.weight");
        m.parameterData()[w.offset() + 7] = 42f;
        assertThat(w.value().get(1, 2)).isEqualTo(42f);
        m.gradientData()[w.offset()] = 3f;
        assertThat(w.grad().get(0, 0)).isEqualTo(3f);
        m.zeroGrad();
        assertThat(w.grad().get(0, 0)).isZero();
    }

    @Test
    void sameSeedGivesSameWeightsAndBiasesStartAtZero() {
        Sequential a = mlp(7);
        Sequential b = mlp(7);
        Sequential c = mlp(8);
        assertThat(a.parameterData()).containsExactly(b.parameterData());
        assertThat(a.parameterData()).isNotEqualTo(c.parameterData());
        assertThat(a.parameter("0.bias").value().toArray()).containsOnly(0f);
    }

    @Test
    void denseComputesXTimesWTransposedPlusBias() {
        Sequential m = Sequential.build(Shape.of(2), List.of(new LayerSpec.Dense(2)), new Normal(), 1);
        float[] p = m.parameterData();
        System.arraycopy(new float[] { 1, 2, 3, 4, 10, 20 }, 0, p, 0, 6); // W =
                                                                          // [[1,2],[3,4]],
                                                                          // b = [10,20]
        Tensor y = m.forward(Tensor.wrap(new float[] { 1, 1, 2, 0 }, 2, 2), true);
        assertThat(y.toArray()).containsExactly(13f, 27f, 12f, 26f);
    }

    @Test
    void denseAndActivationGradientsMatchFiniteDifferences() {
        for (LayerSpec act : List.of(new LayerSpec.Relu(), new LayerSpec.LeakyRelu(0.1f), new LayerSpec.Tanh(),
                new LayerSpec.Sigmoid())) {
            Sequential m = Sequential.build(Shape.of(7), List.of(new LayerSpec.Dense(6), act, new LayerSpec.Dense(4)),
                    new HeNormal(), 3);
            GradientCheck.of(m, GradientCheck.randomInput(5, 9, 7)).verify();
        }
    }

    @Test
    void shapeErrorsNameTheLayerAndTheShapes() {
        assertThatThrownBy(
                () -> Sequential.build(Shape.of(1, 4, 4), List.of(new LayerSpec.Dense(3)), new HeNormal(), 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("layer 0 dense: dense needs (F) input, got (1, 4, 4); add a flatten layer before it");
    }

    @Test
    void outputBufferIsReusedWhileTheBatchSizeIsUnchanged() {
        Sequential m = mlp(1);
        Tensor y1 = m.forward(GradientCheck.randomInput(1, 4, 6), true);
        Tensor y2 = m.forward(GradientCheck.randomInput(2, 4, 6), true);
        assertThat(y2).isSameAs(y1);
        Tensor y3 = m.forward(GradientCheck.randomInput(3, 2, 6), true);
        assertThat(y3.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(y3.data()).isSameAs(y1.data());
    }

}
