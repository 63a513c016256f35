package dev.trainyard.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exported ONNX models run in ONNX Runtime and give our probabilities within 1e-5. */
class OnnxWriterTest {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void anMlpWithEveryActivationAndStandardizationMatchesOnnxRuntime() throws OrtException {
        Sequential model = Sequential.build(Shape.of(6),
                List.of(new LayerSpec.Dense(16), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                        new LayerSpec.Dropout(0.3f), new LayerSpec.Dense(12), new LayerSpec.LeakyRelu(0.2f),
                        new LayerSpec.Dropout(0.25f, LayerSpec.DropoutVariant.VANILLA), new LayerSpec.Dense(10),
                        new LayerSpec.Tanh(), new LayerSpec.Dense(8), new LayerSpec.Sigmoid(), new LayerSpec.Dense(4)),
                new HeNormal(), 3);
        randomizeRunningStatistics(model, 1);
        float[] mean = { 1, -2, 0.5f, 3, 0, 10 };
        float[] std = { 2, 0.5f, 1, 3, 0, 4 }; // feature 4 has zero variance: only
                                               // centred
        PreprocessingStatistics prep = PreprocessingStatistics.of(PreprocessingMethod.STANDARDIZE, false,
                new int[] { 6 }, mean, std, new float[0], new float[0]);

        assertMatchesOnnxRuntime(model, prep, 9, 6);
    }

    @Test
    void aCnnWithBatchNormPoolingAndPerChannelMinMaxMatchesOnnxRuntime() throws OrtException {
        Sequential model = Sequential.build(Shape.of(2, 9, 9),
                List.of(new LayerSpec.Conv2d(4, 3, 1, 1, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                        new LayerSpec.MaxPool(2), new LayerSpec.Conv2d(5, 2, 2, 1, null),
                        new LayerSpec.DropBlock(2, 0.1f, 0), new LayerSpec.AvgPool(2, 1), new LayerSpec.Flatten(),
                        new LayerSpec.Dense(3)),
                new HeNormal(), 4);
        randomizeRunningStatistics(model, 2);
        PreprocessingStatistics prep = PreprocessingStatistics.of(PreprocessingMethod.MIN_MAX, true,
                new int[] { 2, 9, 9 }, new float[0], new float[0], new float[] { 0, 5 }, new float[] { 255, 5 });

        assertMatchesOnnxRuntime(model, prep, 5, 2 * 9 * 9);
    }

    @Test
    void globalAveragePoolingIntoADenseLayerMatchesOnnxRuntime() throws OrtException {
        Sequential model = Sequential.build(Shape.of(2, 7, 6), List.of(new LayerSpec.Conv2d(4, 3, 1, 1, null),
                new LayerSpec.Relu(), new LayerSpec.GlobalAvgPool(), new LayerSpec.Dense(3)), new HeNormal(), 6);

        assertMatchesOnnxRuntime(model, PreprocessingStatistics.of(PreprocessingMethod.NONE, false,
                new int[] { 2, 7, 6 }, new float[0], new float[0], new float[0], new float[0]), 4, 2 * 7 * 6);
    }

    @Test
    void identityAndProjectingResidualBlocksMatchOnnxRuntime() throws OrtException {
        LayerSpec conv8 = new LayerSpec.Conv2d(8, 3, 1, 1, false, null);
        Sequential model = Sequential
            .build(Shape.of(3, 8, 8), List.of(new LayerSpec.Conv2d(8, 3, 1, 1, null), new LayerSpec.Relu(),
                    new LayerSpec.Residual(List
                        .of(conv8, new LayerSpec.BatchNorm(), new LayerSpec.Relu(), conv8, new LayerSpec.BatchNorm())),
                    new LayerSpec.Relu(),
                    new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(16, 3, 2, 1, false, null),
                            new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                            new LayerSpec.Conv2d(16, 3, 1, 1, false, null), new LayerSpec.BatchNorm())),
                    new LayerSpec.Relu(), new LayerSpec.GlobalAvgPool(), new LayerSpec.Dense(3)), new HeNormal(), 7);
        randomizeRunningStatistics(model, 3);

        assertMatchesOnnxRuntime(model, PreprocessingStatistics.of(PreprocessingMethod.NONE, false,
                new int[] { 3, 8, 8 }, new float[0], new float[0], new float[0], new float[0]), 4, 3 * 8 * 8);
    }

    @Test
    void meanSubtractionPerChannelMatchesOnnxRuntime() throws OrtException {
        Sequential model = Sequential.build(Shape.of(3, 4, 4), List.of(new LayerSpec.Flatten(), new LayerSpec.Dense(5)),
                new HeNormal(), 5);
        PreprocessingStatistics prep = PreprocessingStatistics.of(PreprocessingMethod.MEAN_SUBTRACTION, true,
                new int[] { 3, 4, 4 }, new float[] { 1, 2, 3 }, new float[0], new float[0], new float[0]);

        assertMatchesOnnxRuntime(model, prep, 4, 48);
    }

    private static void assertMatchesOnnxRuntime(Sequential model, PreprocessingStatistics prep, int n, int width)
            throws OrtException {
        Rng rng = new Rng(11);
        float[] raw = new float[n * width];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) (3 * rng.nextGaussian() + 1);
        }
        Shape batch = model.inputShape().withBatch(n);
        float[] ours = ClassProbabilities.predict(model, prep.apply(Tensor.wrap(raw.clone(), batch))).toArray();

        byte[] onnx = OnnxWriter.write(model, prep, "test");
        long[] dims = new long[batch.rank()];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = batch.dim(d);
        }
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(raw), dims);
                OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] theirs = (float[][]) result.get("probabilities").orElseThrow().getValue();
            int k = theirs[0].length;
            assertThat(theirs).hasNumberOfRows(n);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    assertThat(theirs[i][c]).as("example %d class %d", i, c).isCloseTo(ours[i * k + c], within(1e-5f));
                }
            }
        }
    }

    /**
     * Running statistics away from (0, 1), so that test-mode batch norm is really
     * exercised.
     */
    static void randomizeRunningStatistics(Sequential model, long seed) {
        Rng rng = new Rng(seed);
        model.state().forEach((name, t) -> {
            for (int i = 0; i < t.size(); i++) {
                float v = (float) rng.nextGaussian();
                t.data()[t.offset() + i] = name.endsWith("running_var") ? 0.5f + v * v : 0.3f * v;
            }
        });
    }

}
