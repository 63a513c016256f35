package dev.trainyard.engine.train;

import dev.trainyard.engine.backend.ComputePool;

/**
 * An exponential moving average of the model's parameters (Polyak averaging with decay,
 * as timm's {@code ModelEmaV2}): after every optimizer step
 * {@code ema = decay * ema + (1 - decay) * params}, elementwise over the one parameter
 * buffer, starting from the initial parameters. Batch-norm running statistics are not
 * averaged: they are running averages already, so the trainer uses the live ones with the
 * averaged weights.
 *
 * <p>
 * Split into fixed chunks like the optimizer, so the average is the same for any thread
 * count.
 */
final class WeightAverage {

    private static final int CHUNK = 1 << 14;

    private final float decay;

    private final float[] average;

    /**
     * @param decay in [0, 1): 0 keeps the latest parameters
     */
    WeightAverage(double decay, float[] initial) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("weight average decay must lie in [0, 1), got " + decay);
        }
        this.decay = (float) decay;
        this.average = initial.clone();
    }

    /** Folds in the parameters after a step. */
    void update(float[] params) {
        float d = decay;
        float c = 1 - d;
        float[] a = average;
        int n = a.length;
        ComputePool.current().parallelFor(ComputePool.chunks(n, CHUNK), k -> {
            int from = k * CHUNK;
            for (int i = from, to = Math.min(n, from + CHUNK); i < to; i++) {
                a[i] = d * a[i] + c * params[i];
            }
        });
    }

    /** The averaged parameters, live (the trainer copies them where they must stay). */
    float[] values() {
        return average;
    }

    void restore(float[] values) {
        System.arraycopy(values, 0, average, 0, average.length);
    }

}
