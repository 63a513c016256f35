package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

/** Inputs and comparisons shared by the kernel tests. */
final class KernelFixtures {

    /**
     * Lengths that exercise every vector tail: below, at and just past multiples of 8 and
     * 16 lanes.
     */
    static final int[] SIZES = { 1, 7, 13, 31, 64, 257, 1023 };

    /** Unit roundoff of float32. */
    static final double U = 0x1p-24;

    private KernelFixtures() {
    }

    /** n Gaussian values times {@code scale} plus {@code shift}, from a seed. */
    static float[] gaussian(long seed, int n, double scale, double shift) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale + shift);
        }
        return a;
    }

    /** Small integers, so that window maxima tie often. */
    static float[] smallIntegers(long seed, int n, int bound) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(bound) - bound / 2;
        }
        return a;
    }

    /** Element-wise |a - e| <= rel * |e| + abs, NaN only where expected is NaN. */
    static void assertClose(float[] actual, float[] expected, double rel, double abs, String what) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e)) {
                assertThat(a).as(what + " [" + i + "] (NaN expected)").isNaN();
                continue;
            }
            assertThat((double) a).as(what + " [" + i + "]").isCloseTo(e, within(rel * Math.abs(e) + abs));
        }
    }

    static double sumAbs(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Math.abs(a[i]);
        }
        return s;
    }

}
