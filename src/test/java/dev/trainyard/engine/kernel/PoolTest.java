package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.KernelFixtures.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Pool facade against direct loops written here, NaN propagation, thread-count
 * independence and errors.
 */
class PoolTest {

    @ParameterizedTest(name = "n={0} c={1} {2}x{3} k={4} s={5}")
    @CsvSource({ "2, 3, 28, 28, 2, 2", "3, 2, 7, 9, 3, 2", "1, 5, 6, 5, 2, 1", "4, 1, 10, 7, 3, 3",
            "2, 2, 5, 5, 1, 1" })
    void maxAndAveragePoolingMatchDirectLoops(int n, int c, int h, int w, int k, int s) {
        int oh = Pool.outputSize(h, k, s);
        int ow = Pool.outputSize(w, k, s);
        Tensor x = Tensor.wrap(gaussian(h * 7L + w, n * c * h * w, 1, 0), n, c, h, w);
        Tensor dy = Tensor.wrap(gaussian(5, n * c * oh * ow, 1, 0), n, c, oh, ow);
        Tensor y = Tensor.zeros(n, c, oh, ow);
        int[] argmax = new int[y.size()];
        Pool.maxPool(x, k, s, y, argmax);
        Tensor dx = Tensor.wrap(gaussian(6, x.size(), 1, 0), x.shape()); // overwritten
        Pool.maxPoolBackward(dy, argmax, dx);
        float[] expectedDx = new float[x.size()];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int di = 0; di < k; di++) {
                        for (int dj = 0; dj < k; dj++) {
                            int idx = pl * h * w + (i * s + di) * w + j * s + dj;
                            if (x.data()[idx] > best) {
                                best = x.data()[idx];
                                at = idx;
                            }
                        }
                    }
                    int out = pl * oh * ow + i * ow + j;
                    assertThat(y.data()[out]).isEqualTo(best);
                    expectedDx[at] += dy.data()[out];
                }
            }
        }
        assertThat(dx.data()).containsExactly(expectedDx);

        Pool.avgPool(x, k, s, y);
        Pool.avgPoolBackward(dy, k, s, dx);
        float[] expectedAvgDx = new float[x.size()];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    int out = pl * oh * ow + i * ow + j;
                    for (int di = 0; di < k; di++) {
                        for (int dj = 0; dj < k; dj++) {
                            int idx = pl * h * w + (i * s + di) * w + j * s + dj;
                            sum += x.data()[idx];
                            expectedAvgDx[idx] += dy.data()[out] / (k * k);
                        }
                    }
                    assertThat((double) y.data()[out]).isCloseTo(sum / (k * k), within(1e-6));
                }
            }
        }
        for (int i = 0; i < x.size(); i++) {
            assertThat(dx.data()[i]).isCloseTo(expectedAvgDx[i], within(1e-6f));
        }
    }

    @Test
    void nanWinsItsMaxWindowAndSpoilsItsAverage() {
        Tensor x = Tensor.wrap(gaussian(1, 1 * 2 * 4 * 4, 1, 0), 1, 2, 4, 4);
        x.set(Float.NaN, 0, 1, 2, 3);
        Tensor y = Tensor.zeros(1, 2, 2, 2);
        int[] argmax = new int[8];
        Pool.maxPool(x, 2, 2, y, argmax);
        assertThat(y.get(0, 1, 1, 1)).isNaN();
        assertThat(argmax[7]).isEqualTo(2 * 4 + 3);
        assertThat(y.get(0, 1, 0, 0)).isNotNaN();
        Pool.avgPool(x, 2, 2, y);
        assertThat(y.get(0, 1, 1, 1)).isNaN();
        assertThat(y.get(0, 0, 1, 1)).isNotNaN();
    }

    @Test
    void resultsAreBitIdenticalWithOneTwoAndEightThreads() {
        Tensor x = Tensor.wrap(gaussian(9, 13 * 7 * 12 * 10, 1, 0), 13, 7, 12, 10);
        Tensor dy = Tensor.wrap(gaussian(10, 13 * 7 * 6 * 5, 1, 0), 13, 7, 6, 5);
        float[][] first = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[][] out = new float[4][];
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Tensor y = Tensor.zeros(13, 7, 6, 5);
                    int[] arg = new int[y.size()];
                    Pool.maxPool(x, 2, 2, y, arg);
                    Tensor dx = Tensor.zeros(x.shape());
                    Pool.maxPoolBackward(dy, arg, dx);
                    Tensor ya = Tensor.zeros(13, 7, 6, 5);
                    Pool.avgPool(x, 2, 2, ya);
                    Tensor dxa = Tensor.zeros(x.shape());
                    Pool.avgPoolBackward(dy, 2, 2, dxa);
                    out[0] = y.data();
                    out[1] = dx.data();
                    out[2] = ya.data();
                    out[3] = dxa.data();
                });
            }
            if (first == null) {
                first = out;
            }
            else {
                for (int i = 0; i < 4; i++) {
                    assertThat(out[i]).as("output %d, %d threads", i, threads).containsExactly(first[i]);
                }
            }
        }
    }

    @Test
    void windowsThatDoNotFitAreRejected() {
        assertThatThrownBy(() -> Pool.outputSize(3, 4, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("window 4")
            .hasMessageContaining("input size 3");
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        assertThatThrownBy(() -> Pool.maxPool(x, 2, 2, Tensor.zeros(1, 1, 3, 3), new int[9]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(1, 1, 3, 3)");
        assertThatThrownBy(() -> Pool.maxPool(x, 2, 2, Tensor.zeros(1, 1, 2, 2), new int[3]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("argmax needs 4");
        assertThatThrownBy(() -> Pool.maxPoolBackward(Tensor.zeros(1, 2, 2, 2), new int[8], Tensor.zeros(1, 1, 4, 4)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(1, 2, 2, 2)");
    }

    @Test
    void globalAveragePoolingTakesEachPlanesMeanAndSpreadsItsGradientEvenly() {
        // planes 1..6, 7..12 of a (1, 2, 2, 3) input: means 3.5 and 9.5
        Tensor x = Tensor.wrap(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, 1, 2, 2, 3);
        Tensor y = Tensor.zeros(1, 2);
        Pool.globalAvgPool(x, y);
        assertThat(y.data()).containsExactly(3.5f, 9.5f);
        Tensor dx = Tensor.wrap(new float[12], 1, 2, 2, 3);
        java.util.Arrays.fill(dx.data(), 99f);
        Pool.globalAvgPoolBackward(Tensor.wrap(new float[] { 6, -3 }, 1, 2), dx);
        assertThat(dx.data()).containsExactly(1, 1, 1, 1, 1, 1, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f);
        assertThatThrownBy(() -> Pool.globalAvgPool(x, Tensor.zeros(1, 3))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(1, 3)");
    }

    @Test
    void globalAveragePoolingIsBitIdenticalWithOneTwoAndEightThreads() {
        Tensor x = Tensor.wrap(gaussian(11, 13 * 7 * 12 * 10, 1, 0), 13, 7, 12, 10);
        Tensor dy = Tensor.wrap(gaussian(12, 13 * 7, 1, 0), 13, 7);
        float[][] first = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            float[][] out = new float[2][];
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> {
                    Tensor y = Tensor.zeros(13, 7);
                    Pool.globalAvgPool(x, y);
                    Tensor dx = Tensor.zeros(x.shape());
                    Pool.globalAvgPoolBackward(dy, dx);
                    out[0] = y.data();
                    out[1] = dx.data();
                });
            }
            if (first == null) {
                first = out;
            }
            else {
                for (int i = 0; i < 2; i++) {
                    assertThat(out[i]).as("output %d, %d threads", i, threads).containsExactly(first[i]);
                }
            }
        }
    }

}
