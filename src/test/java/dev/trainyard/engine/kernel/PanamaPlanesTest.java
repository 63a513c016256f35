package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.assertClose;
import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static dev.trainyard.engine.kernel.KernelFixtures.smallIntegers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pooling, im2col, im2row, col2im and the "same" convolution of the Vector API kernels
 * against the reference, bit for bit, over odd and non-square planes, windows 1-5,
 * strides 1-3 and paddings 0-2, with offsets.
 */
class PanamaPlanesTest {

    private static final int OFF = 5;

    private static KernelSupport panama;

    private final KernelSupport ref = new ReferenceKernels();

    @BeforeAll
    static void loadVectorKernels() {
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not loaded");
        panama = Kernels.supportFor(true);
    }

    private static final int[][] PLANES = { { 7, 5 }, { 8, 8 }, { 6, 9 }, { 1, 4 }, { 13, 11 }, { 28, 28 }, { 5, 37 } };

    /** One lowering check for one geometry. */
    private interface LoweringCheck {

        void run(int c, int h, int w, int kh, int kw, int stride, int pad);

    }

    /**
     * Runs check over every plane of {@link #PLANES}, windows 1x1, 3x3, 5x5, 3x1 and 1x3,
     * strides 1-3 and paddings 0-2 (where the window fits), for each channel count; the
     * number of geometries checked.
     */
    private static int everyGeometry(int[] channels, LoweringCheck check) {
        int cases = 0;
        for (int c : channels) {
            for (int[] plane : PLANES) {
                for (int[] kernel : new int[][] { { 1, 1 }, { 3, 3 }, { 5, 5 }, { 3, 1 }, { 1, 3 } }) {
                    for (int stride = 1; stride <= 3; stride++) {
                        for (int pad = 0; pad <= 2; pad++) {
                            if (plane[0] + 2 * pad < kernel[0] || plane[1] + 2 * pad < kernel[1]) {
                                continue;
                            }
                            check.run(c, plane[0], plane[1], kernel[0], kernel[1], stride, pad);
                            cases++;
                        }
                    }
                }
            }
        }
        return cases;
    }

    @Test
    void im2colAndCol2imMatchReferenceForEveryWindowStrideAndPadding() {
        assertThat(everyGeometry(new int[] { 1, 3 }, this::checkIm2col)).isGreaterThan(300);
    }

    /**
     * One lowering geometry: output size, a name for messages, an input image at OFF and
     * the size of the lowered matrix.
     */
    private record Lowering(int oh, int ow, String what, float[] x, int size) {

        static Lowering of(int c, int h, int w, int kh, int kw, int stride, int pad) {
            int oh = Conv.outputSize(h, kh, stride, pad);
            int ow = Conv.outputSize(w, kw, stride, pad);
            return new Lowering(oh, ow,
                    "c=" + c + " " + h + "x" + w + " k=" + kh + "x" + kw + " s=" + stride + " p=" + pad,
                    gaussian(h * 100L + w, c * h * w + OFF, 1, 0), c * kh * kw * oh * ow);
        }

        /**
         * Garbage of the lowered matrix's size (and OFF more): a lowering must overwrite
         * every entry, padding included.
         */
        float[] garbage() {
            return gaussian(1, size + OFF, 1, 0);
        }

    }

    private void checkIm2col(int c, int h, int w, int kh, int kw, int stride, int pad) {
        Lowering g = Lowering.of(c, h, w, kh, kw, stride, pad);
        float[] a = g.garbage();
        float[] e = a.clone();
        panama.im2col(g.x(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), a, OFF);
        ref.im2col(g.x(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), e, OFF);
        assertThat(a).as("im2col " + g.what()).containsExactly(e);

        float[] col = gaussian(7, g.size() + OFF, 1, 0);
        float[] dxa = gaussian(8, c * h * w + OFF, 1, 0);
        float[] dxe = dxa.clone();
        // col is scratch: the fast path may zero its padding entries, so each gets its
        // own copy
        panama.col2im(col.clone(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), dxa, OFF);
        ref.col2im(col.clone(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), dxe, OFF);
        assertThat(dxa).as("col2im " + g.what()).containsExactly(dxe);
    }

    @Test
    void im2rowIsIm2colTransposedChannelsLastForEveryWindowStrideAndPadding() {
        assertThat(everyGeometry(new int[] { 1, 3, 16, 20 }, this::checkIm2row)).isGreaterThan(600);
    }

    private void checkIm2row(int c, int h, int w, int kh, int kw, int stride, int pad) {
        Lowering g = Lowering.of(c, h, w, kh, kw, stride, pad);
        // garbage in the output and the scratch: every entry must be written
        float[] a = g.garbage();
        float[] e = a.clone();
        panama.im2row(g.x(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), gaussian(2, c * h * w, 1, 0), a, OFF);
        ref.im2row(g.x(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), gaussian(3, c * h * w, 1, 0), e, OFF);
        assertThat(a).as("im2row " + g.what()).containsExactly(e);
        float[] col = new float[g.size()];
        ref.im2col(g.x(), OFF, c, h, w, kh, kw, stride, pad, g.oh(), g.ow(), col, 0);
        int kk = c * kh * kw;
        for (int q = 0; q < g.oh() * g.ow(); q++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < kh * kw; t++) {
                    assertThat(a[OFF + q * kk + t * c + ch])
                        .as("%s: position %d, channel %d, tap %d", g.what(), q, ch, t)
                        .isEqualTo(col[(ch * kh * kw + t) * g.oh() * g.ow() + q]);
                }
            }
        }
    }

    @Test
    void channelsLastCopiesPlaceEveryPixelAtItsPitchAndOffsetAndInvertEachOther() {
        int cases = 0;
        for (int c : new int[] { 1, 3, 8, 16, 24, 32, 64 }) {
            for (int[] plane : PLANES) {
                checkChannelsLast(c, plane[0], plane[1], plane[1], 0, 0);
                checkChannelsLast(c, plane[0], plane[1], plane[1] + 2, 1, 1);
                checkChannelsLast(c, plane[0], plane[1], plane[1] + 3, 2, 1);
                cases += 3;
            }
        }
        assertThat(cases).isEqualTo(147);
    }

    /**
     * toChannelsLast into (y0 + h + 1, pitch, c) garbage writes exactly the h x w pixels
     * from (y0, x0), and fromChannelsLast of them restores the planes at an offset,
     * leaving the floats around them as they were.
     */
    private static void checkChannelsLast(int c, int h, int w, int pitch, int y0, int x0) {
        String what = "c=%d h=%d w=%d pitch=%d at (%d, %d)".formatted(c, h, w, pitch, y0, x0);
        float[] x = gaussian(11, OFF + c * h * w, 1, 0);
        float[] last = gaussian(12, (y0 + h + 1) * pitch * c, 1, 0);
        float[] expected = last.clone();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    expected[((y + y0) * pitch + x0 + xx) * c + ch] = x[OFF + (ch * h + y) * w + xx];
                }
            }
        }
        PanamaPlanes.toChannelsLast(x, OFF, c, h, w, last, pitch, y0, x0);
        assertThat(last).as("toChannelsLast " + what).containsExactly(expected);
        float[] back = gaussian(13, 2 * OFF + c * h * w, 1, 0);
        float[] restored = back.clone();
        System.arraycopy(x, OFF, restored, OFF, c * h * w);
        PanamaPlanes.fromChannelsLast(last, pitch, y0, x0, c, h, w, back, OFF);
        assertThat(back).as("fromChannelsLast " + what).containsExactly(restored);
    }

    @Test
    void sameConvolutionMatchesReferenceBitForBitOverPlanesWindowsAndFilterCounts() {
        int cases = 0;
        for (int[] plane : PLANES) {
            for (int k : new int[] { 1, 3, 5 }) {
                for (int[] cf : new int[][] { { 1, 32 }, { 3, 5 }, { 16, 16 }, { 7, 9 } }) {
                    checkConvSame(cf[0], plane[0], plane[1], cf[1], k, Float.NaN);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(84);
        // a NaN weight reaches every output of its filter, even through the padding
        checkConvSame(2, 5, 5, 6, 3, 1);
    }

    @Test
    void sameConvolutionWeightGradientMatchesReferenceWithinRounding() {
        int cases = 0;
        for (int[] plane : PLANES) {
            for (int k : new int[] { 1, 3, 5 }) {
                for (int[] cf : new int[][] { { 1, 32 }, { 3, 5 }, { 16, 16 }, { 7, 9 } }) {
                    int c = cf[0];
                    int f = cf[1];
                    int h = plane[0];
                    int w = plane[1];
                    // one image, or three whose sums run on together
                    int n = 1 + 2 * (cases % 2);
                    float[] x = gaussian(h * 17L + w, n * c * h * w + OFF, 1, 0);
                    float[] dy = gaussian(f * 5L + k, n * f * h * w + OFF, 1, 0);
                    // the gradient is added to what dweight holds
                    float[] dwa = gaussian(3, f * c * k * k + OFF, 1, 0);
                    float[] dwe = dwa.clone();
                    panama.convSameWeightGradient(x, OFF, n, c, h, w, dy, OFF, f, k, dwa, OFF);
                    ref.convSameWeightGradient(x, OFF, n, c, h, w, dy, OFF, f, k, dwe, OFF);
                    // sums of up to 3 * 28 * 28 products of unit Gaussians
                    assertClose(dwa, dwe, 1e-5, 2e-3,
                            "weight gradient n=" + n + " c=" + c + " " + h + "x" + w + " f=" + f + " k=" + k);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(84);
    }

    /**
     * convSame of one (c, h, w) image by (f, c, k, k) weights at offsets, against the
     * reference; a NaN lands at x[1] where nanAt is NaN, else in weight nanAt.
     */
    private void checkConvSame(int c, int h, int w, int f, int k, float nanAt) {
        String what = "c=" + c + " " + h + "x" + w + " f=" + f + " k=" + k;
        float[] x = gaussian(h * 31L + w, c * h * w + OFF, 1, 0);
        float[] wt = gaussian(f * 7L + k, f * c * k * k + OFF, 0.5, 0);
        if (Float.isNaN(nanAt)) {
            x[OFF + 1] = Float.NaN;
        }
        else {
            wt[OFF + (int) nanAt] = Float.NaN;
        }
        float[] ya = new float[f * h * w + OFF];
        float[] ye = new float[f * h * w + OFF];
        ya[0] = 42f;
        ye[0] = 42f;
        panama.convSame(x, OFF, c, h, w, wt, OFF, f, k, ya, OFF);
        ref.convSame(x, OFF, c, h, w, wt, OFF, f, k, ye, OFF);
        assertThat(ya).as("convSame " + what).containsExactly(ye);
        if (!Float.isNaN(nanAt)) {
            for (int q = 0; q < h * w; q++) {
                assertThat(ya[OFF + q]).as("filter 0 output %d with a NaN weight", q).isNaN();
            }
        }
    }

    @Test
    void poolingMatchesReferenceIncludingTiesAndArgmax() {
        for (int[] plane : PLANES) {
            int h = plane[0];
            int w = plane[1];
            for (int k = 1; k <= 3; k++) {
                for (int stride = 1; stride <= 3; stride++) {
                    if (h < k || w < k) {
                        continue;
                    }
                    checkPool(h, w, k, stride, smallIntegers(h * 31L + k, h * w + OFF, 5));
                    checkPool(h, w, k, stride, gaussian(h * 31L + k, h * w + OFF, 1, 0));
                }
            }
        }
    }

    @Test
    void maxPoolLetsTheFirstNaNWinLikeTheReference() {
        float[] x = smallIntegers(3, 8 * 8 + OFF, 5);
        x[OFF + 9] = Float.NaN; // window (0, 0) of a 2x2 stride-2 pool, row 1 column 1
        x[OFF + 2 * 8 + 2] = Float.NaN;
        x[OFF + 2 * 8 + 3] = Float.NaN; // two NaNs in window (1, 1): the first one's
                                        // index wins
        checkPool(8, 8, 2, 2, x);
        checkPool(8, 8, 3, 1, x);
        // 40 columns: 20 windows per row, two full vectors and a tail; NaNs in each part
        float[] wide = smallIntegers(4, 6 * 40 + OFF, 5);
        for (int at : new int[] { 1, 40 + 6, 17, 2 * 40 + 33, 4 * 40 + 39, 5 * 40 + 2, 5 * 40 + 3 }) {
            wide[OFF + at] = Float.NaN;
        }
        checkPool(6, 40, 2, 2, wide);
        float[] y = new float[16];
        int[] arg = new int[16];
        panama.maxPool(x, OFF, 8, 8, 2, 2, y, 0, 4, 4, arg, 0);
        assertThat(y[0]).isNaN();
        assertThat(arg[0]).isEqualTo(9);
        assertThat(y[5]).isNaN();
        assertThat(arg[5]).isEqualTo(2 * 8 + 2);
        assertThat(y[1]).isNotNaN();
    }

    @Test
    void maxPool2x2KeepsTheReferencesWinnerAmongTiesSignedZerosInfinitiesAndNaNs() {
        float[] values = { 0f, -0f, 1f, -1f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xffc00001), -Float.MIN_VALUE, Float.MIN_VALUE, -0f };
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            float[] x = new float[6 * 10 + OFF];
            for (int i = OFF; i < x.length; i++) {
                x[i] = values[random.nextInt(trial % 2 == 0 ? 3 : values.length)];
            }
            checkPool(6, 10, 2, 2, x);
        }
    }

    @Test
    void maxPool2x2GivesTheReferenceOnPlanesThatFillVectorsAcrossOutputRows() {
        float[] values = { 0f, -0f, 1f, -1f, 2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xffc00001), -Float.MIN_VALUE, Float.MIN_VALUE };
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        // 28x28 -> 14x14 and 14x14 -> 7x7 (rows narrower than a vector), 64x64, odd sizes
        int[][] planes = { { 28, 28 }, { 14, 14 }, { 64, 64 }, { 9, 13 }, { 2, 34 }, { 30, 6 }, { 4, 70 }, { 3, 67 } };
        for (int[] plane : planes) {
            for (int trial = 0; trial < 20; trial++) {
                float[] x = new float[plane[0] * plane[1] + OFF];
                for (int i = OFF; i < x.length; i++) {
                    x[i] = trial % 3 == 0 ? values[random.nextInt(values.length)]
                            : trial % 3 == 1 ? values[random.nextInt(3)] : (float) random.nextGaussian();
                }
                checkPool(plane[0], plane[1], 2, 2, x);
            }
        }
    }

    @Test
    void orderKeyOrdersNumbersTiesSignedZerosAndPutsEveryNaNOnTop() {
        assertThat(PanamaPlanes.orderKey(-0f)).isEqualTo(PanamaPlanes.orderKey(0f));
        assertThat(PanamaPlanes.orderKey(-1f)).isLessThan(PanamaPlanes.orderKey(-Float.MIN_VALUE));
        assertThat(PanamaPlanes.orderKey(Float.NEGATIVE_INFINITY)).isLessThan(PanamaPlanes.orderKey(-Float.MAX_VALUE));
        assertThat(PanamaPlanes.orderKey(Float.MIN_VALUE)).isGreaterThan(PanamaPlanes.orderKey(0f));
        assertThat(PanamaPlanes.orderKey(Float.POSITIVE_INFINITY)).isLessThan(PanamaPlanes.orderKey(Float.NaN));
        assertThat(PanamaPlanes.orderKey(Float.intBitsToFloat(0xffc00001))).isEqualTo(PanamaPlanes.orderKey(Float.NaN));
    }

    private void checkPool(int h, int w, int k, int stride, float[] x) {
        int oh = Pool.outputSize(h, k, stride);
        int ow = Pool.outputSize(w, k, stride);
        String what = h + "x" + w + " k=" + k + " s=" + stride;
        int out = oh * ow;
        float[] ya = new float[out + OFF];
        float[] ye = new float[out + OFF];
        int[] aa = new int[out + OFF];
        int[] ae = new int[out + OFF];
        panama.maxPool(x, OFF, h, w, k, stride, ya, OFF, oh, ow, aa, OFF);
        ref.maxPool(x, OFF, h, w, k, stride, ye, OFF, oh, ow, ae, OFF);
        assertThat(ya).as("max " + what).containsExactly(ye);
        assertThat(aa).as("argmax " + what).containsExactly(ae);

        float[] dy = gaussian(out, out + OFF, 1, 0);
        dy[OFF] = -0f; // 0 + -0 is +0 in the reference
        dy[OFF + out - 1] = out > 1 ? Float.NaN : dy[OFF + out - 1];
        float[] dxa = gaussian(2, h * w + OFF, 1, 0);
        float[] dxe = dxa.clone();
        panama.maxPoolBackward(dy, OFF, ae, OFF, out, dxa, OFF);
        ref.maxPoolBackward(dy, OFF, ae, OFF, out, dxe, OFF);
        assertThat(dxa).as("max backward " + what).containsExactly(dxe);

        panama.avgPool(x, OFF, h, w, k, stride, ya, OFF, oh, ow);
        ref.avgPool(x, OFF, h, w, k, stride, ye, OFF, oh, ow);
        assertThat(ya).as("avg " + what).containsExactly(ye);
        panama.avgPoolBackward(dy, OFF, h, w, k, stride, oh, ow, dxa, OFF);
        ref.avgPoolBackward(dy, OFF, h, w, k, stride, oh, ow, dxe, OFF);
        assertThat(dxa).as("avg backward " + what).containsExactly(dxe);
    }

}
