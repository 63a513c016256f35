package dev.trainyard.engine.nn;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Rng;

/**
 * Bernoulli draws for dropout masks. A draw "hits" when a 32-bit uniform, read as
 * unsigned, is below probability * 2^32. The uniforms are counter-based: pair p of a mask
 * comes from SplitMix64's output for counter p under a key drawn once per mask from the
 * model's generator, so any element can be produced independently. The mask is filled in
 * fixed chunks over the compute pool and is the same bit for bit whatever the thread
 * count or chunking.
 */
final class Masks {

    static final int CHUNK = 1 << 14; // even, so a pair never straddles two chunks

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Masks() {
    }

    /** The unsigned 32-bit threshold for a hit with probability p in [0, 1). */
    static long threshold(double p) {
        return (long) Math.floor(p * 4294967296.0);
    }

    /**
     * Draws a key from {@code rng}, then for i in [0, n): mask[i] = (draw i hits) ?
     * hitValue : missValue and y[i] = x[i] * mask[i], fused in one pass.
     */
    static void maskAndMultiply(Rng rng, long threshold, float hitValue, float missValue, float[] x, int xo,
            float[] mask, int mo, float[] y, int yo, int n) {
        long key = rng.nextLong();
        float step = hitValue - missValue;
        ComputePool.current().parallelFor(ComputePool.chunks(n, CHUNK), c -> {
            int start = c * CHUNK;
            int end = Math.min(n, start + CHUNK);
            int i = start;
            // branch-free: (u - threshold) >>> 63 is 1 exactly when u < threshold (both
            // below 2^32)
            for (; i + 1 < end; i += 2) {
                long bits = Rng.mix(key + (i / 2 + 1) * GOLDEN);
                float m0 = missValue + step * (float) (((bits & 0xFFFFFFFFL) - threshold) >>> 63);
                float m1 = missValue + step * (float) (((bits >>> 32) - threshold) >>> 63);
                mask[mo + i] = m0;
                mask[mo + i + 1] = m1;
                y[yo + i] = x[xo + i] * m0;
                y[yo + i + 1] = x[xo + i + 1] * m1;
            }
            if (i < end) {
                long bits = Rng.mix(key + (i / 2 + 1) * GOLDEN);
                float m0 = missValue + step * (float) (((bits & 0xFFFFFFFFL) - threshold) >>> 63);
                mask[mo + i] = m0;
                y[yo + i] = x[xo + i] * m0;
            }
        });
    }

}
