package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w = c for every weight: units start identical and stay so, the symmetry problem of the
 * lecture.
 */
public record Constant(float value) implements Initializer {

    @Override
    public String method() {
        return "constant";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        tensor.fill(value);
    }
}
