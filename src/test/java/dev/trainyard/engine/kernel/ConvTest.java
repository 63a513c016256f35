package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.U;
import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Conv facade against {@link NaiveConv} (direct loops in double) over odd shapes,
 * strides, paddings and kernel sizes, a finite-difference check of both gradients, and
 * bit-identical results with 1, 2 and 8 threads. Tolerance: 2 * terms * u * sum|term| per
 * output.
 */
class ConvTest {

    @ParameterizedTest(name = "n={0} c={1} {2}x{3} f={4} k={5}x{6} s={7} p={8}")
    @CsvSource({ "3, 1, 7, 5, 4, 3, 3, 1, 1", "2, 3, 8, 6, 5, 5, 5, 2, 2", "10, 2, 6, 9, 3, 1, 1, 3, 0",
            "4, 4, 9, 7, 6, 3, 1, 1, 0", "17, 2, 5, 5, 3, 3, 3, 2, 1", "2, 1, 11, 13, 2, 5, 5, 3, 2",
            "9, 32, 6, 6, 8, 3, 3, 1, 1", "37, 3, 7, 7, 5, 1, 1, 2, 0", "20, 16, 14, 14, 32, 3, 3, 2, 1",
            "6, 4, 7, 7, 8, 3, 3, 1, 1", "5, 2, 30, 29, 3, 3, 3, 1, 1", "4, 16, 12, 10, 16, 5, 5, 1, 2",
            "3, 16, 28, 28, 16, 3, 3, 1, 1" })
    void forwardAndBothBackwardsMatchDirectLoops(int n, int c, int h, int w, int f, int kh, int kw, int s, int p) {
        int oh = Conv.outputSize(h, kh, s, p);
        int ow = Conv.outputSize(w, kw, s, p);
        Tensor x = Tensor.wrap(gaussian(1, n * c * h * w, 1, 0), n, c, h, w);
        Tensor wt = Tensor.wrap(gaussian(2, f * c * kh * kw, 0.5, 0), f, c, kh, kw);
        Tensor b = Tensor.wrap(gaussian(3, f, 1, 0), f);
        Tensor dy = Tensor.wrap(gaussian(4, n * f * oh * ow, 1, 0), n, f, oh, ow);

        Tensor y = Tensor.zeros(n, f, oh, ow);
        Conv.forward(x, wt, b, s, p, y);
        assertMatches(y.data(), NaiveConv.forward(x.data(), n, c, h, w, wt.data(), f, kh, kw, b.data(), s, p),
                c * kh * kw + 1, "y");
        Conv.forward(x, wt, null, s, p, y);
        assertMatches(y.data(), NaiveConv.forward(x.data(), n, c, h, w, wt.data(), f, kh, kw, null, s, p), c * kh * kw,
                "y, no bias");

        Tensor dx = Tensor.wrap(gaussian(5, n * c * h * w, 1, 0), n, c, h, w); // overwritten
        Conv.backwardInput(dy, wt, s, p, dx);
        assertMatches(dx.data(), NaiveConv.backwardInput(dy.data(), n, c, h, w, wt.data(), f, kh, kw, s, p),
                f * kh * kw, "dx");

        float[] dw0 = gaussian(6, f * c * kh * kw, 1, 0);
        Tensor dw = Tensor.wrap(dw0.clone(), f, c, kh, kw); // accumulated into
        Tensor db = Tensor.wrap(filled(f, 0.5f), f);
        Conv.backwardWeight(x, dy, s, p, dw, db);
        NaiveConv.Result gw = NaiveConv.backwardWeight(x.data(), dy.data(), n, c, h, w, f, kh, kw, s, p);
        for (int i = 0; i < dw0.length; i++) {
            gw.value()[i] += dw0[i];
            gw.absSum()[i] += Math.abs(dw0[i]);
        }
        assertMatches(dw.data(), gw, n * oh * ow + 1, "dw");
        for (int o = 0; o < f; o++) {
            double sum = 0.5;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < oh * ow; j++) {
                    sum += dy.data()[(i * f + o) * oh * ow + j];
                }
            }
            assertThat((double) db.data()[o]).isCloseTo(sum, within(1e-5 * n * oh * ow));
        }
    }

    @Test
    void narrowStrideOneSameConvolutionsRunDirectOnTheVectorKernels() {
        assumeTrue(Kernels.simdEnabled(), "the Vector API kernels are off");
        assertThat(Conv.direct(16, 16, 3, 3, 1, 1)).isTrue();
        assertThat(Conv.direct(2, 3, 5, 5, 1, 2)).isTrue();
        assertThat(Conv.direct(16, 32, 3, 3, 1, 1)).as("32 filters").isFalse();
        assertThat(Conv.direct(32, 16, 3, 3, 1, 1)).as("32 channels").isFalse();
        assertThat(Conv.direct(1, 16, 3, 3, 1, 1)).as("one channel").isFalse();
        assertThat(Conv.direct(16, 16, 3, 3, 2, 1)).as("stride 2").isFalse();
        assertThat(Conv.direct(16, 16, 3, 3, 1, 0)).as("no padding").isFalse();
        assertThat(Conv.direct(16, 16, 3, 1, 1, 1)).as("3x1").isFalse();
        assertThat(Conv.direct(16, 16, 2, 2, 1, 1)).as("even window").isFalse();
    }

    @Test
    void groupsSpanAtLeastTheTargetColumnsInPowersOfTwoWithinTheBatchAndMemory() {
        assertThat(Conv.groupSize(128, 9, 784)).isEqualTo(1);
        assertThat(Conv.groupSize(128, 288, 196)).isEqualTo(4);
        assertThat(Conv.groupSize(128, 576, 49)).isEqualTo(16);
        assertThat(Conv.groupSize(128, 16, 49)).isEqualTo(16);
        assertThat(Conv.groupSize(5, 576, 49)).isEqualTo(4);
        assertThat(Conv.groupSize(1, 576, 49)).isEqualTo(1);
        // (9216, 49 * G) floats within 2^22 = 4 Mi: G = 8 is 3.6 Mi, 16 would be 7.2 Mi
        assertThat(Conv.groupSize(128, 9216, 49)).isEqualTo(8);
        assertThat(Conv.groupSize(128, 1 << 20, 7)).isEqualTo(1);
    }

    @Test
    void gradientsAgreeWithFiniteDifferencesOfAWeightedSum() {
        // L = sum(y * r) is linear in x and in w, so central differences are exact up to
        // rounding
        int n = 2, c = 2, h = 5, w = 4, f = 3, k = 3, s = 2, p = 1;
        int oh = Conv.outputSize(h, k, s, p);
        int ow = Conv.outputSize(w, k, s, p);
        Tensor x = Tensor.wrap(gaussian(11, n * c * h * w, 1, 0), n, c, h, w);
        Tensor wt = Tensor.wrap(gaussian(12, f * c * k * k, 1, 0), f, c, k, k);
        Tensor r = Tensor.wrap(gaussian(13, n * f * oh * ow, 1, 0), n, f, oh, ow);
        Tensor dx = Tensor.zeros(n, c, h, w);
        Tensor dw = Tensor.zeros(f, c, k, k);
        Conv.backwardInput(r, wt, s, p, dx);
        Conv.backwardWeight(x, r, s, p, dw, null);
        float eps = 0.5f;
        for (int i = 0; i < x.size(); i++) {
            double numeric = centralDifference(x.data(), i, eps, () -> loss(x, wt, r, s, p));
            assertThat((double) dx.data()[i]).as("dx[%d]", i).isCloseTo(numeric, within(1e-4));
        }
        for (int i = 0; i < wt.size(); i++) {
            double numeric = centralDifference(wt.data(), i, eps, () -> loss(x, wt, r, s, p));
            assertThat((double) dw.data()[i]).as("dw[%d]", i).isCloseTo(numeric, within(1e-4));
        }
    }

    /**
     * c = 1 takes the dot-product weight gradient and the lowered forward pass and input
     * gradient, c = 3 the GEMM weight gradient and the direct ones (on the vector
     * kernels).
     */
    @ParameterizedTest(name = "c={0}")
    @ValueSource(ints = { 1, 3 })
    void everyPassIsBitIdenticalWithOneTwoAndEightThreads(int c) {
        int n = 21, h = 9, w = 8, f = 5, k = 3, s = 1, p = 1;
        Tensor x = Tensor.wrap(gaussian(21, n * c * h * w, 1, 0), n, c, h, w);
        Tensor wt = Tensor.wrap(gaussian(22, f * c * k * k, 1, 0), f, c, k, k);
        Tensor b = Tensor.wrap(gaussian(23, f, 1, 0), f);
        Tensor dy = Tensor.wrap(gaussian(24, n * f * h * w, 1, 0), n, f, h, w);
        float[][] first = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[][] out = new float[4][];
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Tensor y = Tensor.zeros(n, f, h, w);
                    Conv.forward(x, wt, b, s, p, y);
                    Tensor dx = Tensor.zeros(n, c, h, w);
                    Conv.backwardInput(dy, wt, s, p, dx);
                    Tensor dw = Tensor.zeros(f, c, k, k);
                    Tensor db = Tensor.zeros(f);
                    Conv.backwardWeight(x, dy, s, p, dw, db);
                    out[0] = y.data();
                    out[1] = dx.data();
                    out[2] = dw.data();
                    out[3] = db.data();
                });
            }
            if (first == null) {
                first = out;
            }
            else {
                for (int i = 0; i < 4; i++) {
                    assertThat(out[i]).as("output %d with %d threads", i, threads).containsExactly(first[i]);
                }
            }
        }
    }

    @Test
    void shapesThatDoNotFitAreRejectedNamingThem() {
        assertThatThrownBy(() -> Conv.outputSize(2, 5, 1, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("kernel 5")
            .hasMessageContaining("input size 2");
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        Tensor wt = Tensor.zeros(4, 2, 3, 3);
        assertThatThrownBy(() -> Conv.forward(x, wt, null, 1, 1, Tensor.zeros(2, 4, 8, 8)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(4, 2, 3, 3)")
            .hasMessageContaining("(2, 3, 8, 8)");
        Tensor w3 = Tensor.zeros(4, 3, 3, 3);
        assertThatThrownBy(() -> Conv.forward(x, w3, null, 1, 0, Tensor.zeros(2, 4, 8, 8)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(2, 4, 6, 6)");
        assertThatThrownBy(() -> Conv.forward(x, w3, Tensor.zeros(5), 1, 1, Tensor.zeros(2, 4, 8, 8)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bias (5)");
    }

    @Test
    void nanInTheInputReachesTheOutputsItTouches() {
        Tensor x = Tensor.wrap(gaussian(31, 1 * 1 * 6 * 6, 1, 0), 1, 1, 6, 6);
        x.set(Float.NaN, 0, 0, 0, 0);
        Tensor wt = Tensor.wrap(gaussian(32, 2 * 9, 1, 0), 2, 1, 3, 3);
        Tensor y = Tensor.zeros(1, 2, 6, 6);
        Conv.forward(x, wt, null, 1, 1, y);
        assertThat(y.get(0, 0, 0, 0)).isNaN();
        assertThat(y.get(0, 1, 1, 1)).isNaN();
        assertThat(y.get(0, 1, 3, 3)).isNotNaN();
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static double loss(Tensor x, Tensor wt, Tensor r, int s, int p) {
        Tensor y = Tensor.zeros(r.shape());
        Conv.forward(x, wt, null, s, p, y);
        double l = 0;
        for (int i = 0; i < y.size(); i++) {
            l += (double) y.data()[i] * r.data()[i];
        }
        return l;
    }

    private static double centralDifference(float[] a, int i, float eps, DoubleSupplier loss) {
        float keep = a[i];
        a[i] = keep + eps;
        double up = loss.getAsDouble();
        a[i] = keep - eps;
        double down = loss.getAsDouble();
        a[i] = keep;
        return (up - down) / (2 * eps);
    }

    private static void assertMatches(float[] actual, NaiveConv.Result expected, int terms, String what) {
        assertThat(actual).as(what + " size").hasSize(expected.value().length);
        for (int i = 0; i < actual.length; i++) {
            double tol = 2 * (terms + 1) * U * expected.absSum()[i] + 1e-30;
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected.value()[i], within(tol));
        }
    }

}
