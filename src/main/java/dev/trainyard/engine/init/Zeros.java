package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w = 0: the bias default; for weights it makes every unit of a layer identical (the
 * symmetry problem).
 */
public record Zeros() implements Initializer {

    @Override
    public String method() {
        return "zeros";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        tensor.fill(0f);
    }
}
