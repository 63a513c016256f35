package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.init.Constant;
import dev.trainyard.engine.init.FanMode;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.init.XavierNormal;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claims of the lecture on initialization, dropout, DropBlock and batch norm,
 * measured.
 */
class LectureClaimsTest {

    private static double std(Tensor t) {
        double s = 0;
        double s2 = 0;
        float[] d = t.data();
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            s += d[i];
            s2 += (double) d[i] * d[i];
        }
        double m = s / t.size();
        return Math.sqrt(s2 / t.size() - m * m);
    }

    private static double saturated(Tensor t) {
        long n = 0;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            n += Math.abs(t.data()[i]) > 0.97f ? 1 : 0;
        }
        return (double) n / t.size();
    }

    /**
     * Forward through ten Dense(256)+activation blocks; returns the activation after each
     * block.
     */
    private static List<Tensor> deepActivations(LayerSpec activation, Initializer init) {
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            specs.add(new LayerSpec.Dense(256));
            specs.add(activation);
        }
        Sequential m = Sequential.build(Shape.of(256), specs, init, 1);
        Tensor t = GradientCheck.randomInput(2, 512, 256);
        List<Tensor> acts = new ArrayList<>();
        for (Layer layer : m.layers()) {
            t = layer.forward(t, false);
            if (!(layer instanceof Dense)) {
                acts.add(t.copy());
            }
        }
        return acts;
    }

    @Test
    void heInitKeepsReluActivationsAliveThroughTenLayersWhileSmallRandomNumbersVanish() {
        List<Tensor> he = deepActivations(new LayerSpec.Relu(), new HeNormal());
        double first = std(he.getFirst());
        for (Tensor a : he) {
            assertThat(std(a) / first).isBetween(0.5, 2.0);
        }
        List<Tensor> small = deepActivations(new LayerSpec.Relu(), new Normal(0.01));
        // each layer scales the std by about 0.01 * sqrt(256 / 2) = 0.11
        assertThat(std(small.getLast()) / std(small.getFirst())).isLessThan(1e-6);
    }

    @Test
    void xavierKeepsTanhUnsaturatedWhereUnitNormalSaturates() {
        List<Tensor> xavier = deepActivations(new LayerSpec.Tanh(), new XavierNormal(FanMode.IN));
        for (Tensor a : xavier) {
            assertThat(saturated(a)).isLessThan(0.05);
            assertThat(std(a)).isGreaterThan(0.1);
        }
        List<Tensor> big = deepActivations(new LayerSpec.Tanh(), new Normal(1.0));
        for (Tensor a : big) {
            assertThat(saturated(a)).isGreaterThan(0.8);
        }
    }

    /** Plain SGD on 0.5 * ||y - t||^2 / N for a few steps; returns the trained model. */
    private static Sequential trainBriefly(Initializer init) {
        Sequential m = Sequential.build(Shape.of(4),
                List.of(new LayerSpec.Dense(8), new LayerSpec.Tanh(), new LayerSpec.Dense(3)), init, 5);
        Tensor x = GradientCheck.randomInput(6, 16, 4);
        Tensor t = GradientCheck.randomInput(7, 16, 3);
        Tensor dy = Tensor.zeros(16, 3);
        for (int step = 0; step < 20; step++) {
            Tensor y = m.forward(x, true);
            for (int i = 0; i < dy.size(); i++) {
                dy.data()[i] = (y.data()[y.offset() + i] - t.data()[i]) / 16f;
            }
            m.zeroGrad();
            m.backward(dy);
            float[] w = m.parameterData();
            float[] dw = m.gradientData();
            for (int i = 0; i < w.length; i++) {
                w[i] -= 0.5f * dw[i];
            }
        }
        return m;
    }

    @Test
    void constantInitLeavesAllUnitsOfALayerIdenticalAfterTraining() {
        Sequential m = trainBriefly(new Constant(0.3f));
        Tensor w0 = m.parameter("0.weight").value(); // (8, 4): one row per hidden unit
        float[] firstUnit = w0.slice(0, 1).toArray();
        assertThat(firstUnit).isNotEqualTo(new float[] { 0.3f, 0.3f, 0.3f, 0.3f }); // it
                                                                                    // did
                                                                                    // learn
        for (int u = 1; u < 8; u++) {
            assertThat(w0.slice(u, u + 1).toArray()).containsExactly(firstUnit);
        }
        assertThat(m.parameter("0.bias").value().toArray()).containsOnly(m.parameter("0.bias").value().get(0));

        Tensor he = trainBriefly(new HeNormal()).parameter("0.weight").value();
        assertThat(he.slice(1, 2).toArray()).isNotEqualTo(he.slice(0, 1).toArray());
    }

    private static double meanOfColumn(Tensor y, int col) {
        int cols = y.shape().sizeFrom(1);
        double s = 0;
        for (int r = 0; r < y.dim(0); r++) {
            s += y.data()[y.offset() + r * cols + col];
        }
        return s / y.dim(0);
    }

    @Test
    void invertedAndVanillaDropoutBothKeepTheExpectedActivation() {
        int rows = 4000;
        int cols = 5;
        Tensor x = Tensor.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x.set(1f + c, r, c); // every row the same example (1, 2, 3, 4, 5)
            }
        }
        for (LayerSpec.DropoutVariant variant : LayerSpec.DropoutVariant.values()) {
            Sequential m = Sequential.build(Shape.of(cols), List.of(new LayerSpec.Dropout(0.5f, variant)), null, 3);
            Tensor train = m.forward(x, true).copy();
            Tensor test = m.forward(x, false).copy();
            for (int c = 0; c < cols; c++) {
                double expected = test.get(0, c);
                // the mean of 4000 masked copies estimates the expectation within ~2% (1
                // sigma ~ 1.6%)
                assertThat(meanOfColumn(train, c)).as("%s column %d", variant, c)
                    .isCloseTo(expected, within(0.06 * expected));
            }
            assertThat(test.get(0, 2)).isEqualTo(variant == LayerSpec.DropoutVariant.INVERTED ? 3f : 1.5f);
        }
    }

    @Test
    void dropoutDropsAboutRateOfTheUnits() {
        Sequential m = Sequential.build(Shape.of(1000), List.of(new LayerSpec.Dropout(0.3f)), null, 4);
        Tensor ones = Tensor.zeros(50, 1000);
        ones.fill(1f);
        Tensor y = m.forward(ones, true);
        long zeros = 0;
        for (float v : y.toArray()) {
            zeros += v == 0f ? 1 : 0;
            assertThat(v).isIn(0f, 1f / 0.7f);
        }
        assertThat(zeros / 50_000.0).isCloseTo(0.3, within(0.01));
    }

    @Test
    void dropBlockDropsContiguousBlocksAtTheConfiguredRate() {
        int bs = 3;
        int h = 16;
        Sequential m = Sequential.build(Shape.of(4, h, h), List.of(new LayerSpec.DropBlock(bs, 0.1f, 0)), null, 8);
        Tensor ones = Tensor.zeros(64, 4, h, h);
        ones.fill(1f);
        Tensor y = m.forward(ones, true);
        float[] v = y.toArray();
        long zeros = 0;
        for (float f : v) {
            zeros += f == 0f ? 1 : 0;
        }
        double dropped = (double) zeros / v.length;
        // overlapping blocks make the realised rate a little lower than the nominal one
        assertThat(dropped).isBetween(0.08, 0.11);
        float kept = (float) ((double) v.length / (v.length - zeros));
        for (int p = 0; p < 64 * 4; p++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < h; j++) {
                    float f = v[p * h * h + i * h + j];
                    if (f != 0f) {
                        assertThat(f).isEqualTo(kept); // rescaled by count / count_ones
                    }
                    else {
                        assertThat(insideZeroSquare(v, p * h * h, h, bs, i, j))
                            .as("zero at %d,%d in a %dx%d block", i, j, bs, bs)
                            .isTrue();
                    }
                }
            }
        }
    }

    private static boolean insideZeroSquare(float[] v, int base, int h, int bs, int i, int j) {
        for (int top = Math.max(0, i - bs + 1); top <= Math.min(i, h - bs); top++) {
            for (int left = Math.max(0, j - bs + 1); left <= Math.min(j, h - bs); left++) {
                boolean all = true;
                for (int r = top; r < top + bs && all; r++) {
                    for (int c = left; c < left + bs && all; c++) {
                        all = v[base + r * h + c] == 0f;
                    }
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void dropBlockRampsItsRateLinearlyAndIsTheIdentityAtTest() {
        Sequential m = Sequential.build(Shape.of(2, 8, 8), List.of(new LayerSpec.DropBlock(3, 0.2f, 4)), null, 9);
        DropBlock d = (DropBlock) m.layer(0);
        assertThat(d.currentRate()).isEqualTo(0.05f);
        m.startEpoch(2);
        assertThat(d.currentRate()).isEqualTo(0.1f);
        m.startEpoch(4);
        assertThat(d.currentRate()).isEqualTo(0.2f);
        m.startEpoch(9);
        assertThat(d.currentRate()).isEqualTo(0.2f);
        assertThat(d.gamma()).isCloseTo(0.2 / 9 * 64 / 36, within(1e-9));
        Tensor x = GradientCheck.randomInput(1, 3, 2, 8, 8);
        assertThat(m.forward(x, false).toArray()).containsExactly(x.toArray());
    }

    @Test
    void batchNormAtTestTimeUsesNothingFromTheBatch() {
        Sequential m = Sequential.build(Shape.of(6), List.of(new LayerSpec.Dense(5), new LayerSpec.BatchNorm()),
                new HeNormal(), 2);
        for (int step = 0; step < 5; step++) {
            m.forward(GradientCheck.randomInput(10 + step, 32, 6), true);
        }
        Tensor batch = GradientCheck.randomInput(50, 16, 6);
        float[] inBatch = m.forward(batch, false).slice(3, 4).toArray();
        float[] alone = m.forward(batch.slice(3, 4), false).toArray();
        assertThat(alone).containsExactly(inBatch);
        Tensor other = GradientCheck.randomInput(51, 16, 6);
        other.slice(0, 1).copyFrom(batch.slice(3, 4));
        assertThat(m.forward(other, false).slice(0, 1).toArray()).containsExactly(inBatch);
    }

}
