package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/** y = 1 / (1 + e^-x); dx = dy * y * (1 - y) from the cached output. */
public final class Sigmoid extends Layer {

    private final Buffer output;

    private final Buffer dInput;

    private Tensor y; // cached output (N, ...)

    public Sigmoid(LayerSpec.Sigmoid spec, Shape inputShape) {
        super(spec, inputShape, inputShape);
        this.output = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor out = output.forBatch(batchOf(input));
        Elementwise.sigmoid(input, out);
        y = out;
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int n = Activations.requireForward(y, this);
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Elementwise.sigmoidBackward(y, dy, dx);
        return dx;
    }

}
