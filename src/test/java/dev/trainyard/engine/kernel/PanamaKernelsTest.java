package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.U;
import static dev.trainyard.engine.kernel.KernelFixtures.assertClose;
import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static dev.trainyard.engine.kernel.KernelFixtures.sumAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API elementwise, BLAS-1, reduction and softmax kernels against the scalar
 * reference at lengths that hit every vector tail, with offsets into the arrays.
 * Selections are compared bit for bit; sums within the float error bound n * u * sum|x|,
 * which grows with the length.
 */
class PanamaKernelsTest {

    private static final int OFF = 3;

    private static KernelSupport panama;

    private final KernelSupport ref = new ReferenceKernels();

    @BeforeAll
    static void loadVectorKernels() {
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not loaded");
        panama = Kernels.supportFor(true);
        assertThat(panama.name()).isEqualTo("panama");
    }

    /** Gaussian values with NaN, infinities and signed zeros planted at fixed places. */
    private static float[] specials(long seed, int n) {
        float[] x = gaussian(seed, n + OFF, 2, 0);
        float[] planted = { Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY };
        for (int i = 0; i < planted.length && OFF + i * 5 < x.length; i++) {
            x[OFF + i * 5] = planted[i];
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void reluFamilyMatchesReferenceBitForBitAndKeepsNaN(int n) {
        float[] x = specials(n, n);
        float[] dy = gaussian(n + 1, n + OFF, 1, 0);
        float[] a = new float[n + OFF];
        float[] e = new float[n + OFF];
        panama.relu(x, OFF, a, OFF, n);
        ref.relu(x, OFF, e, OFF, n);
        assertThat(a).containsExactly(e);
        assertThat(a[OFF]).isNaN();
        panama.reluBackward(x, OFF, dy, OFF, a, OFF, n);
        ref.reluBackward(x, OFF, dy, OFF, e, OFF, n);
        assertThat(a).containsExactly(e);
        panama.leakyRelu(x, OFF, a, OFF, n, 0.01f);
        ref.leakyRelu(x, OFF, e, OFF, n, 0.01f);
        assertThat(a).containsExactly(e);
        panama.leakyReluBackward(x, OFF, dy, OFF, a, OFF, n, 0.01f);
        ref.leakyReluBackward(x, OFF, dy, OFF, e, OFF, n, 0.01f);
        assertThat(a).containsExactly(e);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void tanhAndSigmoidAgreeWithinAMicroAndKeepNaN(int n) {
        float[] x = specials(n, n);
        float[] dy = gaussian(n + 1, n + OFF, 1, 0);
        float[] a = new float[n + OFF];
        float[] e = new float[n + OFF];
        panama.tanh(x, OFF, a, OFF, n);
        ref.tanh(x, OFF, e, OFF, n);
        assertClose(a, e, 1e-6, 1e-7, "tanh");
        assertThat(a[OFF]).isNaN();
        panama.sigmoid(x, OFF, a, OFF, n);
        ref.sigmoid(x, OFF, e, OFF, n);
        assertClose(a, e, 1e-6, 1e-7, "sigmoid");
        assertThat(a[OFF]).isNaN();
        // backward from the forward output: same arithmetic in the same order, so exact
        panama.sigmoidBackward(e, OFF, dy, OFF, a, OFF, n);
        float[] b = new float[n + OFF];
        ref.sigmoidBackward(e, OFF, dy, OFF, b, OFF, n);
        assertThat(a).containsExactly(b);
        panama.tanhBackward(e, OFF, dy, OFF, a, OFF, n);
        ref.tanhBackward(e, OFF, dy, OFF, b, OFF, n);
        assertThat(a).containsExactly(b);
    }

    @Test
    void sigmoidSaturatesWithoutOverflow() {
        float[] x = { -200f, -90f, 0f, 90f, 200f, -200f, -90f, 0f, 90f, 200f };
        float[] y = new float[x.length];
        float[] expected = new float[x.length];
        panama.sigmoid(x, 0, y, 0, x.length);
        ref.sigmoid(x, 0, expected, 0, x.length);
        assertThat(y).containsExactly(expected);
        // exp(200) overflows to infinity: the ends saturate to exactly 0 and 1, never NaN
        assertThat(y[0]).isZero();
        assertThat(y[4]).isEqualTo(1f);
        assertThat(y[2]).isEqualTo(0.5f);
        assertThat(y[1]).isBetween(0f, 1e-38f);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void blasOneKernelsMatchReference(int n) {
        float[] x = gaussian(n, n + OFF, 1, 0);
        float[] y0 = gaussian(n + 7, n + OFF, 1, 0);
        float[] a = y0.clone();
        float[] e = y0.clone();
        panama.axpy(n, -0.75f, x, OFF, a, OFF);
        ref.axpy(n, -0.75f, x, OFF, e, OFF);
        // one fused rounding instead of two: within one ulp of |alpha x| + |y|
        for (int i = OFF; i < n + OFF; i++) {
            assertThat(Math.abs(a[i] - e[i]))
                .isLessThanOrEqualTo((float) (2 * U * (0.75 * Math.abs(x[i]) + Math.abs(y0[i]))));
        }
        a = x.clone();
        e = x.clone();
        panama.scale(n, 1.5f, a, OFF);
        ref.scale(n, 1.5f, e, OFF);
        assertThat(a).containsExactly(e);
        panama.mul(x, OFF, y0, OFF, a, OFF, n);
        ref.mul(x, OFF, y0, OFF, e, OFF, n);
        assertThat(a).containsExactly(e);
        assertThat(a[OFF]).isEqualTo(x[OFF] * y0[OFF]);
        panama.add(x, OFF, y0, OFF, a, OFF, n);
        ref.add(x, OFF, y0, OFF, e, OFF, n);
        assertThat(a).containsExactly(e);
        assertThat(a[OFF + n - 1]).isEqualTo(x[OFF + n - 1] + y0[OFF + n - 1]);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void biasAndRowSumsAddInReferenceOrder(int cols) {
        int rows = 5;
        float[] bias = gaussian(cols, cols + OFF, 1, 0);
        float[] y0 = gaussian(cols + 1, rows * cols + OFF, 1, 0);
        float[] a = y0.clone();
        float[] e = y0.clone();
        panama.addBias(bias, OFF, a, OFF, rows, cols);
        ref.addBias(bias, OFF, e, OFF, rows, cols);
        assertThat(a).containsExactly(e);
        float[] sa = gaussian(3, cols + OFF, 1, 0);
        float[] se = sa.clone();
        panama.sumRows(y0, OFF, rows, cols, sa, OFF);
        ref.sumRows(y0, OFF, rows, cols, se, OFF);
        assertThat(sa).containsExactly(se);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void rowDotsAddEachDotWithinItsErrorBound(int k) {
        int m = 5;
        int n = 3;
        float[] a = gaussian(k, m * k + OFF, 1, 0);
        float[] b = gaussian(k + 1, n * k + OFF, 1, 0);
        float[] c0 = gaussian(k + 2, m * n + OFF, 1, 0);
        float[] c = c0.clone();
        panama.addRowDots(a, OFF, m, b, OFF, n, k, c, OFF);
        float[] e = c0.clone();
        ref.addRowDots(a, OFF, m, b, OFF, n, k, e, OFF);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = c0[OFF + i * n + j];
                double mag = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double t = (double) a[OFF + i * k + p] * b[OFF + j * k + p];
                    exact += t;
                    mag += Math.abs(t);
                }
                assertThat((double) c[OFF + i * n + j]).as("c[%d, %d]", i, j)
                    .isCloseTo(exact, within((k + 2) * U * mag));
                assertThat((double) e[OFF + i * n + j]).as("reference c[%d, %d]", i, j)
                    .isCloseTo(exact, within((k + 2) * U * mag));
            }
        }
        assertThat(c[0]).isEqualTo(c0[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void sumIsWithinTheFloatErrorBound(int n) {
        float[] x = gaussian(n, n + OFF, 1, 0.25);
        double exact = 0;
        for (int i = OFF; i < n + OFF; i++) {
            exact += x[i];
        }
        double bound = n * U * sumAbs(x, OFF, n + OFF);
        assertThat((double) panama.sum(x, OFF, n)).isCloseTo(exact, within(bound));
        assertThat((double) panama.sum(x, OFF, n)).isCloseTo(ref.sum(x, OFF, n), within(2 * bound));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void columnMomentsMatchTheDoubleReference(int size) {
        // tall: rows = size, 21 columns of which [2, 19) are asked for; wide: 3 rows,
        // cols = size
        checkColumnMoments(size, 21, 2, 19);
        checkColumnMoments(3, size, 0, size);
    }

    private void checkColumnMoments(int rows, int cols, int c0, int c1) {
        float[] x = gaussian(rows * 31L + cols, rows * cols + OFF, 1.5, 2.0);
        float[] ma = new float[cols];
        float[] va = new float[cols];
        float[] me = new float[cols];
        float[] ve = new float[cols];
        panama.columnMoments(x, OFF, rows, cols, c0, c1, ma, va);
        ref.columnMoments(x, OFF, rows, cols, c0, c1, me, ve);
        double tol = 4 * (rows + 2) * U;
        assertClose(Arrays.copyOfRange(ma, c0, c1), Arrays.copyOfRange(me, c0, c1), tol, tol, "mean");
        assertClose(Arrays.copyOfRange(va, c0, c1), Arrays.copyOfRange(ve, c0, c1), tol, tol * 4, "variance");
        assertThat(ma[c1 - 1]).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void channelMomentsMatchTheDoubleReference(int hw) {
        int n = 3;
        int channels = 4;
        float[] x = gaussian(hw, n * channels * hw + OFF, 0.5, -1.0);
        float[] ma = new float[channels];
        float[] va = new float[channels];
        float[] me = new float[channels];
        float[] ve = new float[channels];
        panama.channelMoments(x, OFF, n, channels, hw, 1, 4, ma, va);
        ref.channelMoments(x, OFF, n, channels, hw, 1, 4, me, ve);
        double tol = 4 * (hw + 2) * U;
        assertClose(ma, me, tol, tol, "mean");
        assertClose(va, ve, tol, tol * 4, "variance");
        assertThat(ma[0]).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void channelGradientSumsMatchTheReferenceAndDirectSums(int hw) {
        int n = 3;
        int channels = 4;
        float[] x = gaussian(hw, n * channels * hw + OFF, 0.5, -1.0);
        float[] dy = gaussian(hw + 1, n * channels * hw + OFF + 2, 1.0, 0.25);
        float mean = -0.9f;
        double[] sa = new double[2];
        double[] se = new double[2];
        double direct = 0;
        double directXmu = 0;
        double absXmu = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hw; j++) {
                double g = dy[OFF + 2 + (i * channels + 2) * hw + j];
                double d = x[OFF + (i * channels + 2) * hw + j] - mean;
                direct += g;
                directXmu += g * d;
                absXmu += Math.abs(g * d);
            }
        }
        panama.channelGradientSums(dy, OFF + 2, x, OFF, null, 0, n, channels, hw, 2, mean, sa);
        ref.channelGradientSums(dy, OFF + 2, x, OFF, null, 0, n, channels, hw, 2, mean, se);
        double tol = 4 * (hw + 2) * U * absXmu;
        assertThat(sa[1]).isCloseTo(directXmu, within(tol));
        assertThat(se[1]).isCloseTo(directXmu, within(tol));
        assertThat(sa[0]).isCloseTo(direct, within(4 * (hw + 2) * U * n * hw * 2));
        assertThat(se[0]).isCloseTo(direct, within(4 * (hw + 2) * U * n * hw * 2));

        // gated by a ReLU output: the same sums as over dy with the gate's zeros applied
        float[] gate = gaussian(hw + 2, n * channels * hw + 1, 1.0, 0);
        float[] masked = dy.clone();
        for (int i = 0; i < n * channels * hw; i++) {
            masked[OFF + 2 + i] = gate[1 + i] > 0f ? dy[OFF + 2 + i] : 0f;
        }
        double[] ga = new double[2];
        double[] ma = new double[2];
        panama.channelGradientSums(dy, OFF + 2, x, OFF, gate, 1, n, channels, hw, 2, mean, ga);
        panama.channelGradientSums(masked, OFF + 2, x, OFF, null, 0, n, channels, hw, 2, mean, ma);
        assertThat(ga).containsExactly(ma);
        ref.channelGradientSums(dy, OFF + 2, x, OFF, gate, 1, n, channels, hw, 2, mean, ga);
        ref.channelGradientSums(masked, OFF + 2, x, OFF, null, 0, n, channels, hw, 2, mean, ma);
        assertThat(ga).containsExactly(ma);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 16, 31, 49, 784 })
    void channelAffineGivesTheReferenceBitsWithAndWithoutReLUAndTouchesOnlyItsChannel(int hw) {
        int n = 3;
        int channels = 4;
        int size = n * channels * hw;
        float[] x = gaussian(hw, size + OFF, 1.0, 0.1);
        x[OFF + 2 * hw] = Float.NaN; // image 0, channel 2
        x[OFF + 2 * hw + hw - 1] = -0f;
        for (boolean relu : new boolean[] { false, true }) {
            float[] ya = new float[size + 5];
            float[] ye = new float[size + 5];
            Arrays.fill(ya, 7f);
            Arrays.fill(ye, 7f);
            panama.channelAffine(x, OFF, ya, 5, n, channels, hw, 2, 1.7f, -0.3f, relu);
            ref.channelAffine(x, OFF, ye, 5, n, channels, hw, 2, 1.7f, -0.3f, relu);
            assertThat(ya).containsExactly(ye);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * channels + 2) * hw + j;
                    float v = x[OFF + at] * 1.7f + -0.3f;
                    assertThat(Float.floatToIntBits(ya[5 + at]))
                        .isEqualTo(Float.floatToIntBits(relu ? Math.max(v, 0f) : v));
                    assertThat(ya[5 + (i * channels + 3) * hw + j]).isEqualTo(7f);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 16, 31, 49, 784 })
    void channelInputGradientGivesTheReferenceBitsAndTouchesOnlyItsChannel(int hw) {
        int n = 3;
        int channels = 4;
        int size = n * channels * hw;
        float[] x = gaussian(hw, size + OFF, 0.5, -1.0);
        float[] dy = gaussian(hw + 1, size + OFF + 2, 1.0, 0.25);
        float[] gate = gaussian(hw + 2, size + 1, 1.0, 0);
        for (float[] g : new float[][] { null, gate }) {
            float[] da = new float[size + 5];
            float[] de = new float[size + 5];
            Arrays.fill(da, 7f);
            Arrays.fill(de, 7f);
            panama.channelInputGradient(dy, OFF + 2, x, OFF, g, 1, da, 5, n, channels, hw, 2, -0.9f, 1.3f, 0.2f, 0.07f);
            ref.channelInputGradient(dy, OFF + 2, x, OFF, g, 1, de, 5, n, channels, hw, 2, -0.9f, 1.3f, 0.2f, 0.07f);
            assertThat(da).containsExactly(de);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * channels + 2) * hw + j;
                    float grad = g == null || g[1 + at] > 0f ? dy[OFF + 2 + at] : 0f;
                    assertThat(da[5 + at]).isEqualTo(1.3f * (grad - 0.2f - (x[OFF + at] - -0.9f) * 0.07f));
                    // other channels untouched
                    int other = (i * channels + 1) * hw + j;
                    assertThat(da[5 + other]).isEqualTo(7f);
                }
            }
        }
    }

    @Test
    void momentsPropagateNaN() {
        float[] x = gaussian(5, 2 * 3 * 40, 1, 0);
        x[3 * 40 + 40 + 17] = Float.NaN; // image 1, channel 1
        float[] m = new float[3];
        float[] v = new float[3];
        panama.channelMoments(x, 0, 2, 3, 40, 0, 3, m, v);
        assertThat(m[1]).isNaN();
        assertThat(v[1]).isNaN();
        assertThat(m[0]).isNotNaN();
        panama.columnMoments(x, 0, 24, 10, 0, 10, new float[10], new float[10]);
        float[] cm = new float[10];
        float[] cv = new float[10];
        panama.columnMoments(x, 0, 24, 10, 0, 10, cm, cv);
        assertThat(cm[(3 * 40 + 40 + 17) % 10]).isNaN();
        assertThat(cv[(3 * 40 + 40 + 17) % 10]).isNaN();
        assertThat(cm[0]).isNotNaN();
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 7, 13, 31, 64, 257, 1023 })
    void softmaxAndLogSoftmaxMatchReference(int cols) {
        float[] x = gaussian(cols, cols + OFF, 3, 1);
        x[OFF + cols / 2] = 40f; // a dominant logit: the max must be subtracted
        float[] a = new float[cols + OFF];
        float[] e = new float[cols + OFF];
        double tol = (8 + cols) * U;
        panama.softmax(x, OFF, a, OFF, cols);
        ref.softmax(x, OFF, e, OFF, cols);
        assertClose(a, e, tol, 1e-12, "softmax");
        panama.logSoftmax(x, OFF, a, OFF, cols);
        ref.logSoftmax(x, OFF, e, OFF, cols);
        assertClose(a, e, tol, tol * 50, "logSoftmax");
    }

    @Test
    void softmaxOfARowWithNaNIsNaN() {
        float[] x = gaussian(9, 19, 1, 0);
        x[11] = Float.NaN;
        float[] y = new float[19];
        panama.softmax(x, 0, y, 0, 19);
        assertThat(y).containsOnly(Float.NaN);
        panama.logSoftmax(x, 0, y, 0, 19);
        assertThat(y).containsOnly(Float.NaN);
    }

    @Test
    void logSoftmaxMayOverwriteItsInput() {
        float[] x = gaussian(4, 21, 2, 0);
        float[] e = new float[21];
        ref.logSoftmax(x, 0, e, 0, 21);
        panama.logSoftmax(x, 0, x, 0, 21);
        assertClose(x, e, 30 * U, 1e-6, "in-place logSoftmax");
    }

}
