package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w ~ U(-a, a), a = sqrt(6/n_in) so Var = 2/n_in: He et al. 2015; torch's
 * kaiming_uniform_(nonlinearity="relu").
 */
public record HeUniform() implements Initializer {

    @Override
    public String method() {
        return "he_uniform";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        Initializer.fillUniform(tensor, Math.sqrt(6.0 / fans.in()), rng);
    }
}
