package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Fills a parameter tensor with its starting values. Values are drawn from {@code rng} in
 * row-major order, so the same seed always gives the same weights.
 */
public sealed interface Initializer permits Zeros, Constant, Normal, XavierNormal, XavierUniform, HeNormal, HeUniform {

    /** Name as the job spec writes it: {@code zeros}, {@code he_normal}, ... */
    String method();

    void fill(Tensor tensor, Fans fans, Rng rng);

    static void fillNormal(Tensor t, double std, Rng rng) {
        float[] d = t.data();
        for (int i = t.offset(), end = t.offset() + t.size(); i < end; i++) {
            d[i] = (float) (std * rng.nextGaussian());
        }
    }

    static void fillUniform(Tensor t, double bound, Rng rng) {
        float[] d = t.data();
        for (int i = t.offset(), end = t.offset() + t.size(); i < end; i++) {
            d[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * bound);
        }
    }

}
