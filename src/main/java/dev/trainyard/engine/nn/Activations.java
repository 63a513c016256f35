package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Tensor;

final class Activations {

    private Activations() {
    }

    /**
     * The batch size of the cached forward tensor; fails when backward comes before any
     * forward.
     */
    static int requireForward(Tensor cached, Layer layer) {
        if (cached == null) {
            throw new IllegalStateException(layer.kind() + " backward called before forward");
        }
        return cached.dim(0);
    }

}
