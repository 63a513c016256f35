package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/** y = x for x > 0, slope * x otherwise; dx = dy or slope * dy. Caches the input. */
public final class LeakyReLU extends Layer {

    private final float slope;

    private final Buffer output;

    private final Buffer dInput;

    private Tensor x; // cached input (N, ...)

    public LeakyReLU(LayerSpec.LeakyRelu spec, Shape inputShape) {
        super(spec, inputShape, inputShape);
        this.slope = spec.slope();
        this.output = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor out = output.forBatch(batchOf(input));
        Elementwise.leakyRelu(input, out, slope);
        x = input;
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int n = Activations.requireForward(x, this);
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        Elementwise.leakyReluBackward(x, dy, dx, slope);
        return dx;
    }

}
