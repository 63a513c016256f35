package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w ~ N(0, std^2), std 0.01 by default: the lecture's "small random numbers" (cs231n),
 * fine only for shallow nets.
 */
public record Normal(double std) implements Initializer {

    public static final double DEFAULT_STD = 0.01;

    public Normal {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("normal init std must be finite and >= 0, got " + std);
        }
    }

    public Normal() {
        this(DEFAULT_STD);
    }

    @Override
    public String method() {
        return "normal";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        Initializer.fillNormal(tensor, std, rng);
    }
}
