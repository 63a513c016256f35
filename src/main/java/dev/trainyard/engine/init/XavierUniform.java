package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w ~ U(-a, a), a = sqrt(3 Var), Var = 1/n_in (IN) or 2/(n_in + n_out) (AVG): Glorot and
 * Bengio 2010, torch's xavier_uniform_ for AVG.
 */
public record XavierUniform(FanMode mode) implements Initializer {

    public XavierUniform {
        if (mode == null) {
            throw new IllegalArgumentException("xavier_uniform needs a fan mode (in or avg)");
        }
    }

    public XavierUniform() {
        this(FanMode.AVG);
    }

    @Override
    public String method() {
        return "xavier_uniform";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        Initializer.fillUniform(tensor, Math.sqrt(3.0 * mode.variance(fans)), rng);
    }
}
