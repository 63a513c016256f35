package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Rng;

/**
 * Bernoulli draws for dropout-style masks, two per 64-bit RNG output: a draw "hits" when
 * its 32-bit half, read as unsigned, is below probability * 2^32. Drawn sequentially, so
 * a mask depends only on the generator's state, never on the thread count.
 */
final class Masks {

    private Masks() {
    }

    /** The unsigned 32-bit threshold for a hit with probability p in [0, 1). */
    static long threshold(double p) {
        return (long) Math.floor(p * 4294967296.0);
    }

    /** mask[off + i] = (draw i hits) ? hitValue : missValue, for i in [0, n). */
    static void fill(Rng rng, long threshold, float[] mask, int off, int n, float hitValue, float missValue) {
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = rng.nextLong();
            mask[off + i] = (bits & 0xFFFFFFFFL) < threshold ? hitValue : missValue;
            mask[off + i + 1] = (bits >>> 32) < threshold ? hitValue : missValue;
        }
        if (i < n) {
            mask[off + i] = (rng.nextLong() & 0xFFFFFFFFL) < threshold ? hitValue : missValue;
        }
    }

}
