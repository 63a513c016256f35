package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.U;
import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Winograd F(2x2, 3x3) convolutions ({@link PanamaWinograd}) through the Conv facade,
 * against {@link NaiveConv} (direct loops in double): even and odd maps (whose last tile
 * row or column overruns the map), maps of one pixel, batches of a part of a chunk and of
 * several chunks. The transforms add up to nine terms of a tile with factors of 1/2 and 1
 * before and after the products, so the bound is eight times the direct sum's (2 * terms
 * * u * sum|term|); a transform with a wrong sign or a misplaced tile misses it by orders
 * of magnitude.
 */
class WinogradTest {

    @BeforeEach
    void vectorKernels() {
        assumeTrue(Kernels.simdEnabled(), "the Vector API kernels are off");
    }

    @ParameterizedTest(name = "n={0} c={1} {2}x{3} f={4}")
    @CsvSource({ "3, 32, 7, 7, 32", "9, 32, 14, 14, 64", "2, 64, 7, 7, 32", "17, 32, 6, 5, 32", "4, 32, 1, 1, 32",
            "5, 64, 2, 3, 64", "3, 32, 9, 4, 48" })
    void everyPassMatchesDirectLoops(int n, int c, int h, int w, int f) {
        assumeTrue(Conv.winograd(c, f, 3, 3, 1, 1), "channels not in whole vectors here");
        Tensor x = Tensor.wrap(gaussian(41, n * c * h * w, 1, 0), n, c, h, w);
        Tensor wt = Tensor.wrap(gaussian(42, f * c * 9, 0.5, 0), f, c, 3, 3);
        Tensor b = Tensor.wrap(gaussian(43, f, 1, 0), f);
        Tensor dy = Tensor.wrap(gaussian(44, n * f * h * w, 1, 0), n, f, h, w);

        Tensor y = Tensor.wrap(gaussian(45, n * f * h * w, 1, 0), n, f, h, w); // overwritten
        Conv.forward(x, wt, b, 1, 1, y);
        assertMatches(y.data(), NaiveConv.forward(x.data(), n, c, h, w, wt.data(), f, 3, 3, b.data(), 1, 1), c * 9 + 1,
                "y");
        Conv.forward(x, wt, null, 1, 1, y);
        assertMatches(y.data(), NaiveConv.forward(x.data(), n, c, h, w, wt.data(), f, 3, 3, null, 1, 1), c * 9,
                "y, no bias");

        Tensor dx = Tensor.wrap(gaussian(46, n * c * h * w, 1, 0), n, c, h, w); // overwritten
        Conv.backwardInput(dy, wt, 1, 1, dx);
        assertMatches(dx.data(), NaiveConv.backwardInput(dy.data(), n, c, h, w, wt.data(), f, 3, 3, 1, 1), f * 9, "dx");

        float[] dw0 = gaussian(47, f * c * 9, 1, 0);
        Tensor dw = Tensor.wrap(dw0.clone(), f, c, 3, 3); // accumulated into
        Tensor db = Tensor.zeros(f);
        Conv.backwardWeight(x, dy, 1, 1, dw, db);
        NaiveConv.Result gw = NaiveConv.backwardWeight(x.data(), dy.data(), n, c, h, w, f, 3, 3, 1, 1);
        for (int i = 0; i < dw0.length; i++) {
            gw.value()[i] += dw0[i];
            gw.absSum()[i] += Math.abs(dw0[i]);
        }
        assertMatches(dw.data(), gw, n * h * w + 1, "dw");
        for (int o = 0; o < f; o++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < h * w; j++) {
                    sum += dy.data()[(i * f + o) * h * w + j];
                }
            }
            assertThat((double) db.data()[o]).isCloseTo(sum, within(1e-5 * n * h * w));
        }
    }

    @Test
    void everyPassIsBitIdenticalWithOneTwoAndEightThreads() {
        int n = 19, c = 32, h = 7, w = 9, f = 32;
        assumeTrue(Conv.winograd(c, f, 3, 3, 1, 1), "channels not in whole vectors here");
        Tensor x = Tensor.wrap(gaussian(51, n * c * h * w, 1, 0), n, c, h, w);
        Tensor wt = Tensor.wrap(gaussian(52, f * c * 9, 1, 0), f, c, 3, 3);
        Tensor b = Tensor.wrap(gaussian(53, f, 1, 0), f);
        Tensor dy = Tensor.wrap(gaussian(54, n * f * h * w, 1, 0), n, f, h, w);
        float[][] first = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[][] out = new float[3][];
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Tensor y = Tensor.zeros(n, f, h, w);
                    Conv.forward(x, wt, b, 1, 1, y);
                    Tensor dx = Tensor.zeros(n, c, h, w);
                    Conv.backwardInput(dy, wt, 1, 1, dx);
                    Tensor dw = Tensor.zeros(f, c, 3, 3);
                    Conv.backwardWeight(x, dy, 1, 1, dw, null);
                    out[0] = y.data();
                    out[1] = dx.data();
                    out[2] = dw.data();
                });
            }
            if (first == null) {
                first = out;
            }
            else {
                for (int i = 0; i < 3; i++) {
                    assertThat(out[i]).as("output %d with %d threads", i, threads).containsExactly(first[i]);
                }
            }
        }
    }

    @Test
    void onlyWideThreeByThreeStrideOneSameConvolutionsInWholeVectorsRunThisWay() {
        assertThat(Conv.winograd(32, 32, 3, 3, 1, 1)).isTrue();
        assertThat(Conv.winograd(64, 128, 3, 3, 1, 1)).isTrue();
        assertThat(Conv.winograd(16, 16, 3, 3, 1, 1)).as("the direct path's").isFalse();
        assertThat(Conv.winograd(32, 32, 3, 3, 2, 1)).as("stride 2").isFalse();
        assertThat(Conv.winograd(32, 32, 3, 3, 1, 0)).as("no padding").isFalse();
        assertThat(Conv.winograd(32, 32, 5, 5, 1, 2)).as("5x5").isFalse();
        assertThat(Conv.winograd(32, 32, 1, 1, 1, 0)).as("1x1").isFalse();
        assertThat(Conv.winograd(33, 32, 3, 3, 1, 1)).as("33 channels").isFalse();
        assertThat(Conv.winograd(32, 36, 3, 3, 1, 1)).as("36 filters").isFalse();
    }

    private static void assertMatches(float[] actual, NaiveConv.Result expected, int terms, String what) {
        assertThat(actual).as(what + " size").hasSize(expected.value().length);
        for (int i = 0; i < actual.length; i++) {
            double tol = 16 * (terms + 1) * U * expected.absSum()[i] + 1e-30;
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected.value()[i], within(tol));
        }
    }

}
