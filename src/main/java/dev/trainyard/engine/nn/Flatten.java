package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/** (N, C, H, W) to (N, C*H*W) and back: views of the same values, nothing is copied. */
public final class Flatten extends Layer {

    private int n = -1;

    public Flatten(LayerSpec.Flatten spec, Shape inputShape) {
        super(spec, inputShape, Shape.of(inputShape.size()));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        n = batchOf(input);
        return input.reshape(outputShape().withBatch(n));
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("flatten backward called before forward");
        }
        requireOutputGradient(dy, n);
        return dy.reshape(inputShape().withBatch(n));
    }

}
