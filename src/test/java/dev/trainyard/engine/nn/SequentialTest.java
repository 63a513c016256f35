package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** pytorch_peer.py's mlp as an nn.Sequential. */
    static List<LayerSpec> peerMlp() {
        return List.of(new LayerSpec.Dense(512), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(256), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(10));
    }

    /** pytorch_peer.py's cnn written as a sequence of layers (same parameters). */
    static List<LayerSpec> peerCnn() {
        return List.of(new LayerSpec.Conv2d(32, 3, 1, 1, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.MaxPool(2), new LayerSpec.Conv2d(64, 3, 1, 1, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.MaxPool(2), new LayerSpec.Flatten(), new LayerSpec.Dense(128),
                new LayerSpec.Relu(), new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(10));
    }

    @Test
    void summaryCountsParametersAsPyTorchDoes() {
        // sum(p.numel() for p in model.parameters()) in PyTorch 1.13, BN gamma and beta
        // included
        Summary mlp = Sequential.build(Shape.of(784), peerMlp(), new HeNormal(), 0).summary();
        assertThat(mlp.totalParameters()).isEqualTo(537_354);
        assertThat(mlp.rows()).extracting(Summary.Row::parameters)
            .containsExactly(401_920L, 1_024L, 0L, 0L, 131_328L, 512L, 0L, 0L, 2_570L);
        Summary cnn = Sequential.build(Shape.of(1, 28, 28), peerCnn(), new HeNormal(), 0).summary();
        assertThat(cnn.totalParameters()).isEqualTo(421_834);
        assertThat(cnn.rows().get(7).outputShape()).isEqualTo(Shape.of(64, 7, 7));
        assertThat(cnn.rows().get(8)).isEqualTo(new Summary.Row(8, "flatten", Shape.of(3136), 0));
        assertThat(cnn.toString()).contains("conv2d", "(32, 28, 28)", "total parameters: 421,834");
    }

    @Test
    void stateIsNamedLikeTorchStateDict() {
        Sequential m = Sequential.build(Shape.of(784), peerMlp(), new HeNormal(), 0);
        assertThat(m.parameterNames()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias",
                "5.weight", "5.bias", "8.weight", "8.bias");
        assertThat(m.state().keySet()).containsExactly("1.running_mean", "1.running_var", "5.running_mean",
                "5.running_var");
        assertThat(m.state().get("1.running_var").toArray()).containsOnly(1f);
        assertThat(m.batchNormCounters()).containsOnlyKeys("1.num_batches_tracked", "5.num_batches_tracked");
        m.setBatchNormCounter("5.num_batches_tracked", 7);
        assertThat(m.batchNormCounters()).containsEntry("5.num_batches_tracked", 7L);
        assertThat(m.parameter("1.weight").value().toArray()).containsOnly(1f);
    }

    @Test
    void convolutionOnTabularInputIsRejectedWithTheLayerNamed() {
        assertThatThrownBy(() -> Sequential.build(Shape.of(784), peerCnn(), new HeNormal(), 1))
            .hasMessage("layer 0 conv2d: conv2d needs (C, H, W) input, got (784)");
        assertThatThrownBy(() -> Sequential.build(Shape.of(1, 4, 4),
                List.of(new LayerSpec.MaxPool(2), new LayerSpec.MaxPool(3)), new HeNormal(), 1))
            .hasMessage("layer 1 max_pool: window 3 does not fit input (1, 2, 2)");
        assertThatThrownBy(() -> Sequential.build(Shape.of(8), List.of(new LayerSpec.Dense(4)), null, 1))
            .hasMessage("layer 0 dense: has no init and the model has no default initializer");
    }

    @Test
    void forwardRejectsAnInputOfTheWrongShape() {
        Sequential m = mlp(1);
        assertThatThrownBy(() -> m.forward(Tensor.zeros(4, 7), true))
            .hasMessage("dense layer expects input (N, 6), got (4, 7)");
    }

    @Test
    void firstLayerSkipsTheInputGradientUnlessAsked() {
        Sequential m = mlp(1);
        m.forward(GradientCheck.randomInput(1, 4, 6), true);
        assertThat(m.backward(GradientCheck.randomInput(2, 4, 3))).isNull();
        m.setInputGradientNeeded(true);
        m.forward(GradientCheck.randomInput(1, 4, 6), true);
        assertThat(m.backward(GradientCheck.randomInput(2, 4, 3)).shape()).isEqualTo(Shape.of(4, 6));
    }

    @Test
    void restoringTheMaskRngReproducesTheSameTrainingStep() {
        Sequential a = Sequential.build(Shape.of(784), peerMlp(), new HeNormal(), 3);
        Tensor x = GradientCheck.randomInput(4, 32, 784);
        long[] saved = a.rng().state();
        float[] first = a.forward(x, true).toArray();
        a.rng().setState(saved);
        assertThat(a.forward(x, true).toArray()).containsExactly(first);
    }

    private static float[] oneStepGradients(List<LayerSpec> specs, Shape example, int threads) {
        float[][] out = new float[1][];
        try (ComputePool pool = ComputePool.create(threads)) {
            ComputePool.runWith(pool, () -> {
                Sequential m = Sequential.build(example, specs, new HeNormal(), 5);
                Tensor x = GradientCheck.randomInput(6, example.withBatch(20).dims());
                Tensor y = m.forward(x, true);
                m.backward(GradientCheck.randomInput(7, y.shape().dims()));
                out[0] = m.gradientData().clone();
            });
        }
        return out[0];
    }

    @Test
    void gradientsAreBitIdenticalWhateverTheThreadCount() {
        List<LayerSpec> cnn = List.of(new LayerSpec.Conv2d(4, 3, 1, 1, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.DropBlock(2, 0.2f, 0), new LayerSpec.MaxPool(2),
                new LayerSpec.Flatten(), new LayerSpec.Dense(70), new LayerSpec.BatchNorm(),
                new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(3));
        float[] one = oneStepGradients(cnn, Shape.of(2, 8, 8), 1);
        assertThat(oneStepGradients(cnn, Shape.of(2, 8, 8), 3)).containsExactly(one);
    }

    @Test
    void fusedBatchNormReluGivesTheBitsOfTheLayersOneByOne() {
        List<LayerSpec> specs = List.of(new LayerSpec.Conv2d(4, 3, 1, 1, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.MaxPool(2), new LayerSpec.Flatten(), new LayerSpec.Dense(9),
                new LayerSpec.BatchNorm(), new LayerSpec.Relu(), new LayerSpec.Dense(3));
        Shape example = Shape.of(2, 8, 8);
        assertFusedGivesTheBitsOfTheLayersOneByOne(specs, example,
                GradientCheck.randomInput(6, example.withBatch(20).dims()), 7);
    }

    /**
     * Two training steps of a model whose chain fuses layers and of the same model run
     * layer by layer: the same outputs, input gradients and parameter gradients, the same
     * running estimates, and then the same test-time outputs.
     */
    private static void assertFusedGivesTheBitsOfTheLayersOneByOne(List<LayerSpec> specs, Shape example, Tensor x,
            long dySeed) {
        Sequential fused = Sequential.build(example, specs, new HeNormal(), 5);
        Sequential oneByOne = Sequential.build(example, specs, new HeNormal(), 5);
        fused.setInputGradientNeeded(true);
        oneByOne.setInputGradientNeeded(true);
        for (int step = 0; step < 2; step++) {
            Tensor y = fused.forward(x, true);
            Tensor t = x;
            for (Layer layer : oneByOne.layers()) {
                t = layer.forward(t, true);
            }
            assertThat(y.data()).containsExactly(t.data());
            Tensor dy = GradientCheck.randomInput(dySeed + step, y.shape().dims());
            float[] dx = fused.backward(dy).data().clone();
            Tensor g = dy;
            for (int i = oneByOne.layers().size() - 1; i >= 0; i--) {
                g = oneByOne.layers().get(i).backward(g);
            }
            assertThat(dx).containsExactly(g.data());
            assertThat(fused.gradientData()).containsExactly(oneByOne.gradientData());
        }
        for (int i = 0; i < fused.layers().size(); i++) {
            if (fused.layers().get(i) instanceof BatchNorm a) {
                BatchNorm b = (BatchNorm) oneByOne.layers().get(i);
                assertThat(a.state().get("running_mean").data()).containsExactly(b.state().get("running_mean").data());
                assertThat(a.state().get("running_var").data()).containsExactly(b.state().get("running_var").data());
            }
        }
        Tensor y = fused.forward(x, false);
        Tensor t = x;
        for (Layer layer : oneByOne.layers()) {
            t = layer.forward(t, false);
        }
        assertThat(y.data()).containsExactly(t.data());
    }

    /**
     * A batch norm, a ReLU and a max pool run as one pass: the bits of the three layers
     * one by one (outputs, input gradient, parameter gradients, test-time outputs from
     * the running estimates) over two steps, for non-overlapping, overlapping and
     * edge-dropping windows, planes that fill whole vectors and planes that do not, and
     * 1, 2 and 8 threads; with exact ties (the ReLU's zeros) and a NaN in one channel.
     */
    @ParameterizedTest
    @CsvSource({ "3, 8, 2, 2, 1", "3, 7, 2, 2, 2", "2, 9, 3, 2, 8", "2, 6, 3, 1, 2", "4, 28, 2, 2, 2", "4, 14, 2, 2, 8",
            "1, 5, 5, 1, 1" })
    void fusedBatchNormReluPoolGivesTheBitsOfTheLayersOneByOne(int channels, int size, int window, int stride,
            int threads) {
        List<LayerSpec> specs = List.of(new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.MaxPool(window, stride));
        Shape example = Shape.of(channels, size, size);
        Tensor x = GradientCheck.randomInput(8, example.withBatch(6).dims());
        // a tie of equal positive values in the first window, and a NaN in the last
        // channel
        x.data()[0] = 3f;
        x.data()[1] = 3f;
        x.data()[x.size() - 1] = channels > 1 ? Float.NaN : x.data()[x.size() - 1];
        try (ComputePool pool = ComputePool.create(threads)) {
            ComputePool.runWith(pool, () -> assertFusedGivesTheBitsOfTheLayersOneByOne(specs, example, x, 9));
        }
    }

    @Test
    void aPoolBackwardThatDoesNotFitTheLastForwardIsRefused() {
        Sequential m = Sequential.build(Shape.of(2, 4, 4),
                List.of(new LayerSpec.BatchNorm(), new LayerSpec.Relu(), new LayerSpec.MaxPool(2)), new HeNormal(), 1);
        m.forward(GradientCheck.randomInput(1, 3, 2, 4, 4), true);
        assertThatThrownBy(() -> m.backward(GradientCheck.randomInput(2, 4, 2, 2, 2)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("max_pool layer expects dOutput (3, ");
    }

}
