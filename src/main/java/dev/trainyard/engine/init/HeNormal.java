package dev.trainyard.engine.init;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * w ~ N(0, 2/n_in): He et al. 2015, "Delving Deep into Rectifiers"; torch's
 * kaiming_normal_(nonlinearity="relu").
 */
public record HeNormal() implements Initializer {

    @Override
    public String method() {
        return "he_normal";
    }

    @Override
    public void fill(Tensor tensor, Fans fans, Rng rng) {
        Initializer.fillNormal(tensor, Math.sqrt(2.0 / fans.in()), rng);
    }
}
