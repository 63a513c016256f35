package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w ~ N(0, Var), Var = 1/n_in (IN) or 2/(n_in + n_out) (AVG): Glorot and Bengio 2010; AVG
 * equals torch's xavier_normal_.
 */
public record XavierNormal(FanMode mode) implements Initializer {

    public XavierNormal {
        if (mode == null) {
            throw new IllegalArgumentException("xavier_normal needs a fan mode (in or avg)");
        }
    }

    public XavierNormal() {
        this(FanMode.AVG);
    }

    @Override
    public String method() {
        return "xavier_normal";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        Initializer.fillNormal(tensor, Math.sqrt(mode.variance(fans)), rng);
    }
}
